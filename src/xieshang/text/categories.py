"""The nine complaint categories and the CFPB ``Issue`` → category mapping.

Both copied from the project's ``TAXONOMY.md``: the codes are stable identifiers, the labels are
what people see. Issues the table does not list map to ``other``.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

Category = Literal[
    "application",
    "repayment_hardship",
    "fees_interest",
    "payment_servicing",
    "collection_conduct",
    "credit_report",
    "service_quality",
    "fraud_privacy",
    "other",
]
CATEGORIES: Final = get_args(Category)

LABELS: Final = {
    "application": ("贷款申请与额度", "loan application, limit and pricing"),
    "repayment_hardship": ("逾期与协商还款", "overdue repayment and negotiation"),
    "fees_interest": ("费用与利息争议", "fee and interest disputes"),
    "payment_servicing": ("还款与账户操作", "payments and account servicing"),
    "collection_conduct": ("催收行为", "collection conduct"),
    "credit_report": ("征信", "credit reporting"),
    "service_quality": ("服务质量", "service quality"),
    "fraud_privacy": ("欺诈与信息安全", "fraud, identity and privacy"),
    "other": ("其他", "other"),
}

_ISSUES: Final = {
    "application": (
        "Getting the loan",
        "Getting a line of credit",
        "Getting a loan or lease",
        "Getting a credit card",
        "Shopping for a loan or lease",
        "Applying for a mortgage or refinancing an existing mortgage",
        "Credit limit changed",
        "Was approved for a loan, but didn't receive the money",
        "Was approved for a loan, but didn't receive money",
    ),
    "repayment_hardship": (
        "Struggling to pay your loan",
        "Struggling to repay your loan",
        "Struggling to pay mortgage",
        "Struggling to pay your bill",
    ),
    "fees_interest": (
        "Charged fees or interest you didn't expect",
        "Charged fees or interest I didn't expect",
        "Fees or interest",
        "Unexpected or other fees",
        "Problem with additional add-on products or services",
        "Problem with cash advance",
        "Confusing or missing disclosures",
        "Settlement process and costs",
    ),
    "payment_servicing": (
        "Problem when making payments",
        "Trouble during payment process",
        "Loan payment wasn't credited to your account",
        "Money was taken from your bank account on the wrong day or for the wrong amount",
        "Can't stop withdrawals from your bank account",
        "Problem with the payoff process at the end of the loan",
        "Payoff process",
        "Problems at the end of the loan or lease",
        "Managing an account",
        "Account opening, closing, or management",
        "Managing the loan or lease",
        "Closing an account",
        "Closing your account",
        "Problem caused by your funds being low",
        "Problem with a lender or other company charging your account",
    ),
    "collection_conduct": (
        "Communication tactics",
        "Took or threatened to take negative or legal action",
        "Taking/threatening an illegal action",
        "False statements or representation",
        "Threatened to contact someone or share information improperly",
        "Improper contact or sharing of info",
        "Attempts to collect debt not owed",
        "Cont'd attempts collect debt not owed",
        "Written notification about debt",
        "Disclosure verification of debt",
        "Vehicle was repossessed or sold the vehicle",
    ),
    "credit_report": (
        "Incorrect information on your report",
        "Improper use of your report",
        "Problem with a credit reporting company's investigation into an existing problem",
        "Unable to get your credit report or credit score",
        "Credit monitoring or identity theft protection services",
    ),
    "service_quality": (
        "Can't contact lender or servicer",
        "Dealing with your lender or servicer",
        "Problem with customer service",
        "Other service problem",
    ),
    "fraud_privacy": (
        "Received a loan you didn't apply for",
        "Fraud or scam",
        "Unauthorized transactions or other transaction problem",
        "Problem with fraud alerts or security freezes",
        "Identity theft protection or other monitoring services",
    ),
}

CFPB_ISSUE_CATEGORY: Final = {
    issue: category for category, issues in _ISSUES.items() for issue in issues
}


def category_of_cfpb_issue(issue: str) -> str:
    """The category TAXONOMY.md gives a CFPB ``Issue`` label (``other`` when it lists none)."""
    return CFPB_ISSUE_CATEGORY.get(issue.strip(), "other")
