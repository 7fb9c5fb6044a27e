"""What a bank tunes about talking to customers outside negotiation itself: due-date reminders, how
hard delivery tries, and how long a survey invitation stays open (the policy's ``communication:``)."""

from __future__ import annotations

from dataclasses import dataclass

from xieshang.domain.validation import require


@dataclass(frozen=True)
class Communication:
    reminder_days_before: int
    """A due-date reminder goes this many days (at most) before an installment is due."""
    delivery_max_attempts: int
    """An e-mail or SMS that keeps failing is given up after this many tries."""
    delivery_retry_minutes: int
    """Wait before the first retry; each later retry waits twice as long as the one before."""
    survey_valid_days: int
    """A survey invitation can be answered for this many days."""

    def __post_init__(self) -> None:
        require(1 <= self.reminder_days_before <= 30, "reminder_days_before must be 1–30")
        require(1 <= self.delivery_max_attempts <= 20, "delivery_max_attempts must be 1–20")
        require(
            1 <= self.delivery_retry_minutes <= 24 * 60, "delivery_retry_minutes must be 1–1440"
        )
        require(1 <= self.survey_valid_days <= 180, "survey_valid_days must be 1–180")
