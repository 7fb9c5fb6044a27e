"""The words of a problem and the catalogue message each becomes: a data table.

TYPES names the message of each pydantic error type; PATTERNS recognises a service's words
(``field: problem`` in English) and names their message, the named groups giving its parameters.
``web/ui/problems.py`` says them in the reader's language."""

from __future__ import annotations

import re

from xieshang.web.ui.message_keys import N_

TYPES: dict[str, str] = {  # pydantic's error type → the message
    "missing": N_("invalid.missing"),
    "string_too_short": N_("invalid.string_too_short"),
    "string_too_long": N_("invalid.string_too_long"),
    "too_short": N_("invalid.too_short"),
    "too_long": N_("invalid.too_long"),
    "int_parsing": N_("invalid.integer"),
    "int_type": N_("invalid.integer"),
    "int_from_float": N_("invalid.integer"),
    "float_parsing": N_("invalid.number"),
    "float_type": N_("invalid.number"),
    "decimal_parsing": N_("invalid.number"),
    "decimal_type": N_("invalid.number"),
    "finite_number": N_("invalid.number"),
    "decimal_max_places": N_("invalid.decimal_max_places"),
    "decimal_max_digits": N_("invalid.decimal_max_digits"),
    "date_parsing": N_("invalid.date"),
    "date_type": N_("invalid.date"),
    "date_from_datetime_parsing": N_("invalid.date"),
    "date_from_datetime_inexact": N_("invalid.date"),
    "datetime_parsing": N_("invalid.datetime"),
    "datetime_type": N_("invalid.datetime"),
    "datetime_from_date_parsing": N_("invalid.datetime"),
    "timezone_aware": N_("invalid.datetime"),
    "greater_than": N_("invalid.greater_than"),
    "greater_than_equal": N_("invalid.greater_than_equal"),
    "less_than": N_("invalid.less_than"),
    "less_than_equal": N_("invalid.less_than_equal"),
    "literal_error": N_("invalid.literal_error"),
    "enum": N_("invalid.literal_error"),
    "string_pattern_mismatch": N_("invalid.string_pattern_mismatch"),
    "bool_parsing": N_("invalid.bool"),
    "bool_type": N_("invalid.bool"),
    "string_type": N_("invalid.string_type"),
}
"""Any other type is ``invalid.other``; a model's own check (``value_error``) is said by PATTERNS."""

PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern), key, example)
    for pattern, key, example in (  # a service's words, the message, an example the tests use
        # pydantic's own words, passed on as text
        (r"^Field required$", N_("invalid.missing"), "Field required"),
        (
            r"^String should have at least (?P<min_length>\d+) characters?$",
            N_("invalid.string_too_short"),
            "String should have at least 2 characters",
        ),
        (
            r"^String should have at most (?P<max_length>\d+) characters?$",
            N_("invalid.string_too_long"),
            "String should have at most 64 characters",
        ),
        (
            r"^Input should be a valid integer.*$",
            N_("invalid.integer"),
            "Input should be a valid integer, unable to parse string as an integer",
        ),
        (
            r"^Value should have at least (?P<min_length>\d+) items? after validation.*$",
            N_("invalid.too_short"),
            "Value should have at least 1 item after validation, not 0",
        ),
        (
            r"^Input should be a valid (decimal|number).*$",
            N_("invalid.number"),
            "Input should be a valid decimal",
        ),
        (
            r"^Input should be a valid date.*$",
            N_("invalid.date"),
            "Input should be a valid date or datetime, input is too short",
        ),
        (
            r"^Input should be greater than or equal to (?P<ge>\S+)$",
            N_("invalid.greater_than_equal"),
            "Input should be greater than or equal to 1",
        ),
        (
            r"^Input should be less than or equal to (?P<le>\S+)$",
            N_("invalid.less_than_equal"),
            "Input should be less than or equal to 5",
        ),
        (
            r"^Input should be greater than (?P<gt>\S+)$",
            N_("invalid.greater_than"),
            "Input should be greater than 0",
        ),
        (
            r"^Input should be less than (?P<lt>\S+)$",
            N_("invalid.less_than"),
            "Input should be less than 100",
        ),
        (
            r"^Input should be (?P<expected>.+)$",
            N_("invalid.literal_error"),
            "Input should be 'web' or 'app'",
        ),
        (
            r"^String should match pattern .*$",
            N_("invalid.string_pattern_mismatch"),
            "String should match pattern '^\\d{4}$'",
        ),
        # amounts, dates and periods
        (
            r"^'(?P<value>.*)' is not an amount in yuan$",
            N_("problem.not_an_amount"),
            "'abc' is not an amount in yuan",
        ),
        (
            r"^'(?P<value>.*)' has more than 2 decimal places$",
            N_("problem.more_than_fen"),
            "'1.234' has more than 2 decimal places",
        ),
        (r"^must not be negative$", N_("problem.negative"), "must not be negative"),
        (r"^cannot be negative$", N_("problem.cannot_be_negative"), "cannot be negative"),
        (r"^must be more than zero$", N_("problem.more_than_zero"), "must be more than zero"),
        # contention: the request changed nothing and may simply be sent again
        (
            r"^the service is busy; nothing was changed, try again shortly$",
            N_("problem.busy"),
            "the service is busy; nothing was changed, try again shortly",
        ),
        (
            r"^another request changed this at the same moment; nothing was changed, read it again$",
            N_("problem.changed_meanwhile"),
            "another request changed this at the same moment; nothing was changed, read it again",
        ),
        (r"^is in the future$", N_("problem.in_future"), "is in the future"),
        (r"^is empty$", N_("problem.empty"), "is empty"),
        (
            r"^(?P<start>\S+) is after (?P<end>\S+)$",
            N_("problem.after"),
            "2026-06-20 is after 2026-06-01",
        ),
        (
            r"^(?P<end>\S+) is before from \((?P<start>\S+)\)$",
            N_("problem.before_from"),
            "2026-06-01 is before from (2026-06-20)",
        ),
        (
            r"^(?P<day>\S+) is before (?P<effective>\S+), when (?P<version>\S+) takes effect$",
            N_("problem.before_base"),
            "2025-11-20 is before 2026-01-01, when 2026.1 takes effect",
        ),
        (
            r"^(?P<day>\S+) is in the past \(today is (?P<today>\S+)\)$",
            N_("problem.in_past"),
            "2025-11-20 is in the past (today is 2026-01-05)",
        ),
        (
            r"^(?P<version>\S+) already exists; give the draft a new one$",
            N_("problem.version_exists"),
            "2026.2 already exists; give the draft a new one",
        ),
        (
            r"^(?P<version>\S+) is the shipped policy; give the draft a new one$",
            N_("problem.version_shipped"),
            "2026.1 is the shipped policy; give the draft a new one",
        ),
        (
            r"^must be on or before 'to'.*$",
            N_("problem.from_after_to"),
            "must be on or before 'to', at most ten years before it",
        ),
        (
            r"^a report covers at most (?P<years>ten|three) years$",
            N_("problem.report_too_long"),
            "a report covers at most ten years",
        ),
        (
            r"^must be between the loan's start \((?P<start>\S+)\) and today$",
            N_("problem.since_loan_start"),
            "must be between the loan's start (2025-06-01) and today",
        ),
        (
            r"^is before the loan's latest transaction \((?P<day>\S+)\): use a later date$",
            N_("problem.before_latest_transaction"),
            "is before the loan's latest transaction (2026-03-01): use a later date",
        ),
        (
            r"^must be between (?P<start>\S+) and today$",
            N_("problem.between_and_today"),
            "must be between 2025-06-01 and today",
        ),
        (
            r"^must be a time between the years 2000 and 2100$",
            N_("problem.time_out_of_range"),
            "must be a time between the years 2000 and 2100",
        ),
        # negotiations: a dispute, an adjusted offer, an escalation, a counter-proposal
        (
            r"^choose a charge from your bill, or enter one you were charged$",
            N_("problem.choose_a_charge"),
            "choose a charge from your bill, or enter one you were charged",
        ),
        (
            r"^(?P<charge>\S+) is not a charge on this loan's bill$",
            N_("problem.not_a_charge"),
            "3:fee is not a charge on this loan's bill",
        ),
        (
            r"^must be fewer than the months$",
            N_("problem.grace_too_long"),
            "must be fewer than the months",
        ),
        (
            r"^say why when the reason is 'other'$",
            N_("problem.say_why"),
            "say why when the reason is 'other'",
        ),
        (
            r"^give a monthly payment, a number of months or both$",
            N_("problem.give_a_proposal"),
            "give a monthly payment, a number of months or both",
        ),
        (
            r"^only a hardship case has a payment to try$",
            N_("problem.not_hardship"),
            "only a hardship case has a payment to try",
        ),
        # complaints and evidence
        (
            r"^must be a PDF, PNG, JPEG or plain UTF-8 text file$",
            N_("problem.file_type"),
            "must be a PDF, PNG, JPEG or plain UTF-8 text file",
        ),
        (
            r"^is larger than (?P<mib>\d+) MiB$",
            N_("problem.file_too_large"),
            "is larger than 5 MiB",
        ),
        (
            r"^is more than (?P<days>\d+) days ago$",
            N_("problem.too_long_ago"),
            "is more than 365 days ago",
        ),
        (r"^is not a date and time$", N_("problem.not_a_datetime"), "is not a date and time"),
        (
            r"^'(?P<value>.*)' is not a valid date \(YYYY-MM-DD\)$",
            N_("problem.not_a_date"),
            "'2026-13-01' is not a valid date (YYYY-MM-DD)",
        ),
        (
            r"^loan (?P<loan>\d+) is not a loan of customer (?P<customer>\d+)$",
            N_("problem.not_their_loan"),
            "loan 7 is not a loan of customer 9",
        ),
        (
            r"^is required when staff record a complaint$",
            N_("problem.customer_required"),
            "is required when staff record a complaint",
        ),
        (
            r"^a customer files through app or web$",
            N_("problem.customer_channel"),
            "a customer files through app or web",
        ),
        (
            r"^is set by the bank when you file$",
            N_("problem.set_by_bank"),
            "is set by the bank when you file",
        ),
        (
            r"^name an assignee, a group or both$",
            N_("problem.name_an_assignee"),
            "name an assignee, a group or both",
        ),
        (
            r"^is not an active agent or supervisor$",
            N_("problem.not_an_assignee"),
            "is not an active agent or supervisor",
        ),
        (
            r"^give a category, root causes or both$",
            N_("problem.give_a_category"),
            "give a category, root causes or both",
        ),
        (
            r"^say how the (?P<channel>\w+) notice can be traced$",
            N_("problem.say_reference"),
            "say how the letter notice can be traced",
        ),
        (
            r"^is the day you ask: leave it out$",
            N_("problem.requested_today"),
            "is the day you ask: leave it out",
        ),
        # surveys and customers
        (
            r"^give at least one of csat, nps or comment$",
            N_("problem.empty_answer"),
            "give at least one of csat, nps or comment",
        ),
        (
            r"^no such customers: (?P<ids>.+)$",
            N_("problem.no_such_customers"),
            "no such customers: 7, 9",
        ),
        (
            r"^no such customer numbers: (?P<numbers>.+)$",
            N_("problem.no_such_customer_numbers"),
            "no such customer numbers: C0001",
        ),
        (
            r"^is not a valid 18-character resident ID number$",
            N_("problem.id_number"),
            "is not a valid 18-character resident ID number",
        ),
        # passwords and logins
        (
            r"^must have at least (?P<count>\d+) characters$",
            N_("problem.password_too_short"),
            "must have at least 12 characters",
        ),
        (
            r"^must not contain the username$",
            N_("problem.password_has_username"),
            "must not contain the username",
        ),
        (r"^is too repetitive$", N_("problem.password_repetitive"), "is too repetitive"),
        (
            r"^is not your current password$",
            N_("problem.password_wrong"),
            "is not your current password",
        ),
        (
            r"^must differ from the current one$",
            N_("problem.password_unchanged"),
            "must differ from the current one",
        ),
        (
            r"^use 3–64 lower-case letters.*$",
            N_("problem.username_form"),
            "use 3–64 lower-case letters, digits, '.', '_' or '-', starting with one",
        ),
        (
            r"^is required for a customer login$",
            N_("problem.login_needs_customer"),
            "is required for a customer login",
        ),
        (
            r"^only a customer login belongs to a customer$",
            N_("problem.login_not_customer"),
            "only a customer login belongs to a customer",
        ),
        (
            r"^you cannot disable your own account$",
            N_("problem.disable_self"),
            "you cannot disable your own account",
        ),
        (
            r"^this is the last active administrator$",
            N_("problem.last_admin"),
            "this is the last active administrator",
        ),
        (
            r"^customer (?P<customer>\d+) already has a login$",
            N_("problem.customer_has_login"),
            "customer 7 already has a login",
        ),
        (
            r"^username '(?P<username>.*)' is taken$",
            N_("problem.username_taken"),
            "username 'li.na' is taken",
        ),
        # the pages' own
        (r"^no such action: (?P<action>.+)$", N_("problem.no_such_action"), "no such action: x"),
        (r"^no such decision$", N_("problem.no_such_decision"), "no such decision"),
        (
            r"^(?P<kind>[a-z][a-z ]*) (?P<ident>\S+) not found$",
            N_("problem.not_found"),
            "loan 7 not found",
        ),
    )
)
