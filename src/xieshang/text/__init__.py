"""Complaint text: normalisation and triage (category, urgency, flags, sentiment, group).

    >>> from xieshang.text import normalize, triage
    >>> normalize("協(xié)商還款")
    '协商还款'
    >>> triage("我失业了，还不上贷款，想申请停息挂账").category
    'repayment_hardship'

Public API: :func:`normalize`, :func:`triage` (shipped rules and models), :class:`Triager` (your own
rules or models), :func:`load_rules`, :func:`load_classifier`, :func:`evaluate`. How it works and
how well: ``docs/triage.md``.
"""

from xieshang.text.evaluation import Evaluation, evaluate
from xieshang.text.linear_model import TextClassifier, load_classifier
from xieshang.text.normalize import normalize
from xieshang.text.rules import TriageRules, load_rules
from xieshang.text.triage import Triager, TriageResult, default_triager, triage

__all__ = [
    "Evaluation",
    "TextClassifier",
    "TriageResult",
    "TriageRules",
    "Triager",
    "default_triager",
    "evaluate",
    "load_classifier",
    "load_rules",
    "normalize",
    "triage",
]
