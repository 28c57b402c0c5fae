"""Money is a whole number of fen (1/100 yuan); yuan appear only as text for people."""

from shared.errors import RuleViolation

# The most any single amount may be: a programme's monthly amount, a gift, one month's
# correction. Far above any allowance paid in a month (the 100+ band is a few hundred yuan),
# far below what a store's 64-bit integers hold.
MAX_FEN = 1_000_000  # 10 000 yuan


def check_fen(value: object, field: str, allow_negative: bool = False) -> int:
    """A whole number of fen; floats, text and booleans are refused, never rounded."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleViolation(f"{field} must be a whole number of fen, not {value!r}", field=field)
    if value < 0 and not allow_negative:
        raise RuleViolation(f"{field} must not be negative", field=field)
    if abs(value) > MAX_FEN:
        raise RuleViolation(
            f"{field} of {value} fen is more than any single amount may be: at most "
            f"{MAX_FEN} fen ({yuan(MAX_FEN)} yuan)",
            field=field,
        )
    return value


def yuan(fen: int) -> str:
    """Exact yuan text: 12345 fen is "123.45", -5 fen is "-0.05"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"
