"""Charge disputes (费用争议): recompute what the contract allows and compare it with what was charged.

A customer disputes penalty interest (罚息), compound interest (复利), fees (手续费), late fees (违约金)
or contract interest (利息) on an installment. :func:`review_charges` replays the loan with the ledger
(:func:`~xieshang.domain.accrual.ledger_as_of`) under the contract's own rules — with the penalty
markup never above the legal maximum — and compares each disputed amount with the lawful one:

- an overcharge becomes a correction and a refund of exactly the difference, in fen;
- a correct charge is explained line by line with the itemised statement's formulas;
- an undercharge is noted and never billed retroactively;
- a charge beyond a legal limit is flagged for compliance: a penalty markup outside 30–50 %
  (银发〔2003〕251号 第三条), interest on fees or 违约金 (银发〔2016〕111号), or an all-in cost above
  24 % a year (法发〔2017〕22号 第2条), measured by IRR (PBoC 公告〔2021〕第3号).

Every verdict and flag carries a reason code and parameters, never a sentence: the texts come from the
bank's policy (``reasons`` in the policy document renders each code in zh-CN and en).

The package, by concern:

- :mod:`.charged`: what the customer disputes (:class:`ChargedItem`);
- :mod:`.limits`: the legal limits (:class:`DisputeLimits`) and the compliance flags they raise;
- :mod:`.findings`: the answer, line by line (:class:`DisputeFinding`);
- :mod:`.lawful`: the lawful recomputation and the formulas behind each lawful amount;
- :mod:`.markup`: the penalty markup a bank used, inferred from what it charged;
- :mod:`.interest_on_fees`: whether an excess is interest charged on a fee;
- :mod:`.all_in_cost`: the annualised all-in cost by IRR;
- :mod:`.review`: :func:`review_charges`, which puts them together.
"""

from __future__ import annotations

from xieshang.domain.disputes.charged import MAX_INFERRED_MARKUP, ChargedComponent, ChargedItem
from xieshang.domain.disputes.findings import DisputeFinding, DisputeLine, Verdict
from xieshang.domain.disputes.limits import ComplianceFlag, DisputeLimits, FlagKind
from xieshang.domain.disputes.markup import infer_markup
from xieshang.domain.disputes.review import review_charges

__all__ = [
    "MAX_INFERRED_MARKUP",
    "ChargedComponent",
    "ChargedItem",
    "ComplianceFlag",
    "DisputeFinding",
    "DisputeLimits",
    "DisputeLine",
    "FlagKind",
    "Verdict",
    "infer_markup",
    "review_charges",
]
