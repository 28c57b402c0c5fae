"""The 18-character resident identity number of GB 11643-1999.

Layout: 6-digit address code, 8-digit birth date (YYYYMMDD), 3-digit sequence (odd for men,
even for women), and a check character computed over the first 17 digits (ISO 7064 MOD 11-2).
"""

from dataclasses import dataclass
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"


class InvalidNationalId(ValueError):
    pass


@dataclass(frozen=True)
class NationalId:
    value: str
    birth_date: date
    sex: str  # "female" or "male"


def check_character(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def parse_national_id(raw: str) -> NationalId:
    """Validate and decode an ID number; raises InvalidNationalId with the reason."""
    value = raw.strip().upper()
    if len(value) != 18:
        raise InvalidNationalId(f"must be 18 characters, got {len(value)}")
    if not value[:17].isdigit() or not value[:17].isascii():
        raise InvalidNationalId("the first 17 characters must be digits")
    expected = check_character(value[:17])
    if value[17] != expected:
        raise InvalidNationalId(f"check character is {value[17]!r}, expected {expected!r}")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as error:
        raise InvalidNationalId(f"birth date {value[6:14]} is not a date") from error
    sex = "male" if int(value[16]) % 2 else "female"
    return NationalId(value, born, sex)
