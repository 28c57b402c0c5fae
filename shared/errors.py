"""Domain-level failures. Plain Python: the web layer maps them to HTTP problems."""

from collections.abc import Collection


class DomainError(Exception):
    """A request the domain refuses; `detail` is shown to the caller."""

    def __init__(self, detail: str, **context: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.context = context


class NotFound(DomainError):
    """The thing named does not exist."""


class Conflict(DomainError):
    """The request collides with existing state (a duplicate, a stale version)."""


class RuleViolation(DomainError):
    """The request is well-formed but breaks a rule of the field (e.g. too young to register)."""


def check_one_of(value: object, allowed: Collection[str], field: str, what: str = "") -> None:
    """Refuse, as a rule of `field`, a word that is not one of the vocabulary's `allowed`
    ("kind is one of a, b, not 'c'"; `what` names it otherwise than by its field)."""
    if value not in allowed:
        named = what or field
        raise RuleViolation(f"{named} is one of {', '.join(allowed)}, not {value!r}", field=field)
