"""What a phone number looks like, and how personal numbers are shown where they need not be
read in full."""

import re

PHONE_PATTERN = r"^\+?[0-9][0-9 -]{4,19}$"

# An ID number (18 characters, or a legacy 15 digits) or a mainland mobile number standing
# alone in a text: not part of a longer run of digits.
ID_NUMBER = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
# A run of 12 to 30 digits, shaped like a bank or social-security card account number.
ACCOUNT = re.compile(r"(?<![0-9A-Za-z*])[0-9]{12,30}(?![0-9A-Za-z])")


def mask_national_id(number: str | None) -> str | None:
    """110105194403070021 -> 110105********0021"""
    return number and f"{number[:6]}********{number[-4:]}"


def mask_phone(number: str | None) -> str | None:
    """13800138000 -> 138****8000 (a number too short to mask is hidden whole)."""
    if not number:
        return number
    return f"{number[:3]}****{number[-4:]}" if len(number) >= 8 else "****"


def mask_account(number: str | None) -> str | None:
    """6222021234567890123 -> 6222***********0123; a short number shows its last 4 only."""
    if not number:
        return number
    if len(number) >= 12:
        return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"
    return f"{'*' * max(len(number) - 4, 4)}{number[-4:]}"


def mask_numbers_in(text: str) -> str:
    """Every ID number and mobile number in a free text (a message, a reason), masked."""
    masked = ID_NUMBER.sub(lambda found: mask_national_id(found.group()) or "", text)
    return MOBILE.sub(lambda found: mask_phone(found.group()) or "", masked)


def mask_all_numbers_in(text: str) -> str:
    """As `mask_numbers_in`, and every other run of digits an account number could be too:
    for logs, where no account number may appear even by mistake."""
    masked = mask_numbers_in(text)
    return ACCOUNT.sub(lambda found: mask_account(found.group()) or "", masked)
