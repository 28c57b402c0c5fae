"""How personal numbers are shown where they need not be read in full."""


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
