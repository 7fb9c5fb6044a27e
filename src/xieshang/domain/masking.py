"""Masking of sensitive personal data (个人敏感信息) for display.

No statute fixes a format (PIPL 第五十一条 asks for 去标识化 without one; JR/T 0171-2020 Annex A is
informative), so xieshang follows common bank practice: keep enough to recognise, hide the rest.
"""

from __future__ import annotations


def mask_id_number(value: str) -> str:
    """``330102199001011234`` → ``3301**********1234`` (region prefix and last four)."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``."""
    digits = value.strip()
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_account(value: str) -> str:
    """A bank card or account number shows only its last four: ``************1234``."""
    digits = value.replace(" ", "")
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_email(value: str) -> str:
    """``zhang.wei@example.com`` → ``z***@example.com`` (first letter and the domain)."""
    local, at, domain = value.strip().partition("@")
    if not at:
        return "*" * len(local)
    return (local[:1] + "***" if local else "***") + "@" + domain


def mask_name(value: str) -> str:
    """A name shows its first character only: ``张伟`` → ``张*``, ``欧阳娜娜`` → ``欧***``,
    ``Li Wei`` → ``L*****``."""
    name = value.strip()
    if len(name) <= 1:
        return "*" * len(name)
    return name[0] + "*" * (len(name) - 1)
