"""The resident identity number of GB 11643-1999, and the 15-digit numbers issued before it.

Layout: 6-digit address code, 8-digit birth date (YYYYMMDD), 3-digit sequence (odd for men,
even for women), and a check character computed over the first 17 digits (ISO 7064 MOD 11-2).
A legacy 15-digit number has a 2-digit year, always 19YY, and no check character: it becomes
the 18-character number by inserting "19" after the address code and computing the check.
"""

from dataclasses import dataclass
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
EARLIEST_BIRTH_YEAR = 1900

# GB/T 2260 provinces (first two digits of the address code); 71 Taiwan, 81 Hong Kong, 82 Macao
# and 83 the residence permits of Taiwan residents on the mainland.
PROVINCES = frozenset(
    {
        *("11", "12", "13", "14", "15"),
        *("21", "22", "23"),
        *("31", "32", "33", "34", "35", "36", "37"),
        *("41", "42", "43", "44", "45", "46"),
        *("50", "51", "52", "53", "54"),
        *("61", "62", "63", "64", "65"),
        *("71", "81", "82", "83"),
    }
)


class InvalidNationalId(ValueError):
    pass


@dataclass(frozen=True)
class NationalId:
    value: str  # always the 18-character form
    birth_date: date
    sex: str  # "female" or "male"


def check_character(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def from_legacy(fifteen: str) -> str:
    """The 18-character number of a 15-digit one (GB 11643: its year is 19YY)."""
    first17 = f"{fifteen[:6]}19{fifteen[6:]}"
    return first17 + check_character(first17)


def parse_national_id(raw: str) -> NationalId:
    """Validate and decode an ID number, 18 characters or a legacy 15 digits; raises
    InvalidNationalId with the reason."""
    value = raw.strip().upper()
    if len(value) == 15:
        if not value.isdigit() or not value.isascii():
            raise InvalidNationalId("a legacy 15-digit number must be digits only")
        value = from_legacy(value)
    elif len(value) != 18:
        raise InvalidNationalId(f"must be 18 characters (or a legacy 15 digits), got {len(value)}")
    if not value[:17].isdigit() or not value[:17].isascii():
        raise InvalidNationalId("the first 17 characters must be digits")
    expected = check_character(value[:17])
    if value[17] != expected:
        raise InvalidNationalId(f"check character is {value[17]!r}, expected {expected!r}")
    if value[:2] not in PROVINCES:
        raise InvalidNationalId(
            f"address code {value[:6]} names no province ({value[:2]} is not a province code)"
        )
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as error:
        raise InvalidNationalId(f"birth date {value[6:14]} is not a date") from error
    if born.year < EARLIEST_BIRTH_YEAR:
        raise InvalidNationalId(
            f"birth year {born.year} is not plausible (the earliest is {EARLIEST_BIRTH_YEAR})"
        )
    sex = "male" if int(value[16]) % 2 else "female"
    return NationalId(value, born, sex)


def normalised(raw: str) -> str:
    """The number as compared: its 18-character form, or, if it is not a valid number, as
    written (trimmed, upper case), so that two invalid numbers still compare as written."""
    try:
        return parse_national_id(raw).value
    except InvalidNationalId:
        return raw.strip().upper()


def same_number(one: str, other: str) -> bool:
    """Whether two ID numbers are the same person's: a legacy 15-digit number is the same as
    its 18-character form, and a lower-case check character x as X."""
    return normalised(one) == normalised(other)
