"""What a phone number looks like, and how personal numbers are shown where they need not be
read in full."""

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

PHONE_PATTERN = r"^\+?[0-9][0-9 -]{4,19}$"
# a mainland mobile number as an SMS gateway takes it: 11 digits, no spaces
MOBILE_NUMBER_PATTERN = r"^1[3-9][0-9]{9}$"

# An ID number (18 characters, or a legacy 15 digits) or a mainland phone number standing
# alone in a text: not part of a longer run of digits. A mobile number may carry the country
# code (+86, 0086) and be grouped 3-4-4 by spaces or dashes; a landline is an area code
# (010, 0571) then 7 or 8 digits, the area code in brackets or followed by a space or dash.
ID_NUMBER = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])")
MOBILE = re.compile(
    r"(?<![0-9])(?P<country>(?:\+|00)86[ -]?)?"
    r"(?P<number>1[3-9][0-9](?:[ -]?[0-9]{4}){2})(?![0-9])"
)
AREA_CODE = r"(?:\(0[1-9][0-9]{1,2}\) ?|0[1-9][0-9]{1,2}[ -]?)"
LANDLINE = re.compile(rf"(?<![0-9A-Za-z]){AREA_CODE}[2-9][0-9]{{6,7}}(?![0-9A-Za-z])")
# A run of 12 to 30 digits, shaped like a bank or social-security card account number; one
# after a dash is the end of an identifier (an event's UUID), not an account.
ACCOUNT = re.compile(r"(?<![0-9A-Za-z*-])[0-9]{12,30}(?![0-9A-Za-z])")


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


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


def _masked_mobile(found: re.Match[str]) -> str:
    """+86 138 1234 5678 -> +86 138****5678: the country code kept, the number as a phone."""
    return (found["country"] or "") + (mask_phone(_digits(found["number"])) or "")


def mask_numbers_in(text: str) -> str:
    """Every ID number and phone number in a free text (a message, a reason), masked."""
    masked = ID_NUMBER.sub(lambda found: mask_national_id(found.group()) or "", text)
    masked = MOBILE.sub(_masked_mobile, masked)
    return LANDLINE.sub(lambda found: mask_phone(_digits(found.group())) or "", masked)


def mask_all_numbers_in(text: str) -> str:
    """As `mask_numbers_in`, and every other run of digits an account number could be too:
    for logs, where no account number may appear even by mistake."""
    masked = mask_numbers_in(text)
    return ACCOUNT.sub(lambda found: mask_account(found.group()) or "", masked)


# The fields that hold a personal number, wherever they are in a record, and how each is masked.
NUMBER_FIELDS = {
    "national_id": mask_national_id,
    "previous_national_id": mask_national_id,
    "phone": mask_phone,
    "partner_phone": mask_phone,
}
# Care details, shown only to who care for the elder or record them, and left out of every
# list: health (sensitive personal information, PIPL art. 28), and the private facts of a life
# that visits need and payments do not (marriage, children, party membership, service).
CARE_DETAILS = frozenset(
    {"chronic_illnesses", "marital_status", "has_children", "party_member", "veteran"}
)
# Values that hold nothing to mask below them, told apart before the slower check for a mapping
# (a list of a hundred elders has two thousand of them).
LEAVES = (str, int, float, date, type(None))


def redacted(value: Any, *, full_numbers: bool = False, care: bool = False) -> Any:
    """A record as answered (or a list of them, or a history line with its before and after)
    as its reader may see it: every ID number and phone in it, at any depth (an emergency
    contact's, a household member's), masked unless `full_numbers`; care details left out
    unless `care`."""
    if isinstance(value, LEAVES):
        return value
    if isinstance(value, Mapping):
        return {
            key: _redacted_field(key, item, full_numbers, care)
            for key, item in value.items()
            if care or key not in CARE_DETAILS
        }
    if isinstance(value, list | tuple):
        return [redacted(item, full_numbers=full_numbers, care=care) for item in value]
    return value


def _redacted_field(key: str, value: Any, full_numbers: bool, care: bool) -> Any:
    if isinstance(value, str):
        return value if full_numbers or key not in NUMBER_FIELDS else NUMBER_FIELDS[key](value)
    return redacted(value, full_numbers=full_numbers, care=care)
