"""Problems with a form, said in the reader's language.

Services name a problem in English, ``field: problem`` (the API and the command line show it as it
is). A page shown in Chinese says it in Chinese: the field by its label on the form, the problem by
the patterns below. A problem no pattern knows is shown as the service said it, never dropped."""

from __future__ import annotations

import re

from xieshang.web.ui import i18n

PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern), zh, example)
    for pattern, zh, example in (  # a service's words, the Chinese, and an example the tests use
        # pydantic's own words (the web forms are validated by the API's models)
        (r"^Field required$", "必填", "Field required"),
        (
            r"^String should have at least (\d+) characters?$",
            r"至少 \1 个字符",
            "String should have at least 1 character",
        ),
        (
            r"^String should have at most (\d+) characters?$",
            r"最多 \1 个字符",
            "String should have at most 64 characters",
        ),
        (
            r"^Input should be a valid integer.*$",
            "请填写整数",
            "Input should be a valid integer, unable to parse string as an integer",
        ),
        (r"^Input should be a valid decimal.*$", "请填写数字", "Input should be a valid decimal"),
        (
            r"^Input should be a valid date.*$",
            "请按 年-月-日 填写日期，例如 2026-06-20",
            "Input should be a valid date or datetime, input is too short",
        ),
        (
            r"^Input should be greater than or equal to (\S+)$",
            r"不能小于 \1",
            "Input should be greater than or equal to 1",
        ),
        (
            r"^Input should be less than or equal to (\S+)$",
            r"不能大于 \1",
            "Input should be less than or equal to 5",
        ),
        (r"^Input should be greater than (\S+)$", r"必须大于 \1", "Input should be greater than 0"),
        (r"^Input should be less than (\S+)$", r"必须小于 \1", "Input should be less than 100"),
        (r"^Input should be (.+)$", r"只能是 \1", "Input should be 'web' or 'app'"),
        (
            r"^String should match pattern .*$",
            "格式不正确",
            "String should match pattern '^\\d{4}$'",
        ),
        # amounts, dates and periods
        (
            r"^'(.*)' is not an amount in yuan$",
            r"“\1”不是金额（元），请填写如 1234.56",
            "'abc' is not an amount in yuan",
        ),
        (
            r"^'(.*)' has more than 2 decimal places$",
            r"“\1”的小数超过两位（金额精确到分）",
            "'1.234' has more than 2 decimal places",
        ),
        (r"^must not be negative$", "不能为负数", "must not be negative"),
        # contention: the request changed nothing and may simply be sent again
        (
            r"^the service is busy; nothing was changed, try again shortly$",
            "系统繁忙，本次操作未做任何更改，请稍后重试",
            "the service is busy; nothing was changed, try again shortly",
        ),
        (
            r"^another request changed this at the same moment; nothing was changed, read it again$",
            "另一操作同时修改了此记录，本次操作未做任何更改，请刷新后重试",
            "another request changed this at the same moment; nothing was changed, read it again",
        ),
        (r"^is in the future$", "不能晚于今天", "is in the future"),
        (r"^is empty$", "不能为空", "is empty"),
        (r"^(\S+) is after (\S+)$", r"\1 晚于 \2", "2026-06-20 is after 2026-06-01"),
        (
            r"^(\S+) is before (\S+), when (\S+) takes effect$",
            r"\1 早于 \3 的生效日 \2",
            "2025-11-20 is before 2026-01-01, when 2026.1 takes effect",
        ),
        (
            r"^must be on or before 'to'.*$",
            "必须早于或等于截止日期，且最多早十年",
            "must be on or before 'to', at most ten years before it",
        ),
        (
            r"^must be between (.+) and today$",
            r"必须在 \1 与今天之间",
            "must be between 2025-06-01 and today",
        ),
        # complaints and evidence
        (
            r"^must be a PDF, PNG, JPEG or plain UTF-8 text file$",
            "只接受 PDF、PNG、JPEG 或 UTF-8 文本文件",
            "must be a PDF, PNG, JPEG or plain UTF-8 text file",
        ),
        (r"^is larger than (\d+) MiB$", r"超过 \1 MiB", "is larger than 5 MiB"),
        (
            r"^is more than (\d+) days ago$",
            r"早于 \1 天前，超出可补录的期限",
            "is more than 365 days ago",
        ),
        (r"^is not a date and time$", "请填写日期和时间", "is not a date and time"),
        (
            r"^'(.*)' is not a valid date \(YYYY-MM-DD\)$",
            r"“\1”不是有效日期，请按 年-月-日 填写",
            "'2026-13-01' is not a valid date (YYYY-MM-DD)",
        ),
        # passwords and logins
        (
            r"^must have at least (\d+) characters$",
            r"至少 \1 个字符",
            "must have at least 12 characters",
        ),
        (r"^must not contain the username$", "不得包含用户名", "must not contain the username"),
        (r"^is too repetitive$", "过于简单重复", "is too repetitive"),
        (r"^is not your current password$", "与当前密码不符", "is not your current password"),
        (
            r"^must differ from the current one$",
            "必须与当前密码不同",
            "must differ from the current one",
        ),
        (
            r"^use 3–64 lower-case letters.*$",
            "请使用 3–64 个小写字母、数字或 . _ -，以字母或数字开头",
            "use 3–64 lower-case letters, digits, '.', '_' or '-', starting with one",
        ),
        (
            r"^is required for a customer login$",
            "客户账户必须填写",
            "is required for a customer login",
        ),
        (
            r"^only a customer login belongs to a customer$",
            "只有客户账户才关联客户",
            "only a customer login belongs to a customer",
        ),
        (
            r"^you cannot disable your own account$",
            "不能停用自己的账户",
            "you cannot disable your own account",
        ),
        (
            r"^this is the last active administrator$",
            "这是最后一个启用的管理员账户，不能停用",
            "this is the last active administrator",
        ),
        (
            r"^customer (\d+) already has a login$",
            r"客户 \1 已有登录账户",
            "customer 7 already has a login",
        ),
        (r"^username '(.*)' is taken$", r"用户名“\1”已被使用", "username 'li.na' is taken"),
    )
)


def in_language(text: str | None, language: str) -> str | None:
    """``text`` (a service's ``field: problem``) for a page in ``language``."""
    if not text or language != "zh":
        return text
    field, colon, problem = text.partition(": ")
    if not colon:
        return _problem(text) or text
    said = _problem(problem)
    if said is None:
        return text
    return f"{_label(field)}：{said}"


def _problem(problem: str) -> str | None:
    problem = problem.removeprefix("Value error, ")  # a model's own check, worded by us
    for pattern, zh, _ in PATTERNS:
        if pattern.match(problem):
            return pattern.sub(zh, problem)
    return None


def _label(field: str) -> str:
    """The form's label for a field path (``finances.verified_income`` → 可证明的月收入（元））."""
    name = re.sub(r"\[\d+\]", "", field).rpartition(".")[2]
    return i18n.translate(name, "zh") if i18n.known(name) else field
