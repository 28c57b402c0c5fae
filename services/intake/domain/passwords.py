"""What a staff password must be: long, and not one of the passwords tried first.

The list is SecLists' 10,000 most common passwords (resources/common-passwords.txt, MIT
licence, see common-passwords.LICENSE). A password is refused too when it is one of them with
digits or signs added at the end, or one of them repeated ("password1234", "qwertyqwerty"),
since that is how the list is tried."""

import re
from functools import cache
from pathlib import Path

from shared.errors import RuleViolation

MIN_LENGTH = 12
LIST = Path(__file__).parent / "resources" / "common-passwords.txt"
TRAILING_DIGITS_AND_SIGNS = re.compile(r"[\d\W_]+$")


@cache
def common_passwords() -> frozenset[str]:
    return frozenset(line.strip().lower() for line in LIST.read_text().splitlines() if line)


def check_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise RuleViolation(f"a password has at least {MIN_LENGTH} characters", field="password")
    if is_common(password):
        raise RuleViolation(
            "this password is one of the most common ones (or one of them with digits added, "
            "or repeated); choose another, e.g. several unrelated words",
            field="password",
        )


def is_common(password: str) -> bool:
    lowered = password.lower()
    stem = TRAILING_DIGITS_AND_SIGNS.sub("", lowered)
    candidates = {lowered, stem, _repeated_unit(lowered), _repeated_unit(stem)}
    return any(candidate in common_passwords() for candidate in candidates if candidate)


def _repeated_unit(text: str) -> str:
    """ "abcabc" -> "abc"; text that is no repetition, itself."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return text[:size]
    return text
