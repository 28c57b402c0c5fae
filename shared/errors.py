"""Domain-level failures. Plain Python: the web layer maps them to HTTP problems."""


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
