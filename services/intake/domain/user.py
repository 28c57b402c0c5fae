"""Staff who sign in: their roles, and the community a community-level user is bound to."""

from dataclasses import dataclass

from shared.errors import RuleViolation
from shared.web.auth import ADMIN, check_roles

MIN_PASSWORD = 10


@dataclass(frozen=True)
class User:
    username: str
    password_hash: str
    roles: tuple[str, ...]
    community: str | None = None
    active: bool = True


def check_new_user(username: str, password: str, roles: list[str], community: str | None) -> None:
    if len(password) < MIN_PASSWORD:
        raise RuleViolation(f"a password has at least {MIN_PASSWORD} characters", field="password")
    check_duties(username, roles, community)


def check_duties(username: str, roles: list[str] | tuple[str, ...], community: str | None) -> None:
    """Known roles, at least one; the district administrator bound to no community."""
    try:
        check_roles(set(roles), username)
    except ValueError as error:
        raise RuleViolation(str(error), field="roles") from error
    if ADMIN in roles and community:
        raise RuleViolation(
            "the district administrator is not bound to a community", field="community"
        )
