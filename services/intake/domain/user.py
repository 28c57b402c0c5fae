"""Staff who sign in: their roles, and the community a community-level user is bound to."""

from dataclasses import dataclass, replace

from services.intake.domain.passwords import check_password
from shared.errors import RuleViolation
from shared.roles import ADMIN, check_roles


@dataclass(frozen=True)
class User:
    username: str
    password_hash: str
    roles: tuple[str, ...]
    community: str | None = None
    active: bool = True
    # Raised whenever the account's access changes: every token of an older one is refused.
    token_version: int = 1
    mobile: str | None = None  # where the reminders of the user's work go by SMS
    contact_version: int = 0  # raised at each change of `mobile` (staff.contact_changed)
    version: int = 1  # raised at each change of the account: a change made meanwhile is refused

    def shown(self) -> "ShownUser":
        """The account as its history shows it: without the password hash."""
        return ShownUser(
            self.username,
            self.roles,
            self.community,
            self.active,
            self.token_version,
            self.mobile,
            self.contact_version,
            self.version,
        )

    def with_mobile(self, mobile: str | None) -> "User":
        """The account with this mobile number (None: none), its contact version raised if
        the number changed."""
        if mobile == self.mobile:
            return self
        return replace(self, mobile=mobile, contact_version=self.contact_version + 1)

    def access_change(self, before: "User") -> str | None:
        """How this account's access differs from `before`, in the words of the
        `staff.access_changed` event, or None if it does not."""
        if self.active != before.active:
            return "enabled" if self.active else "disabled"
        if (self.roles, self.community) != (before.roles, before.community):
            return "duties changed"
        return None

    def with_tokens_revoked(self) -> "User":
        return replace(self, token_version=self.token_version + 1)


@dataclass(frozen=True)
class ShownUser:
    """A staff account as its history lines show it: every field but the password hash."""

    username: str
    roles: tuple[str, ...]
    community: str | None
    active: bool
    token_version: int
    mobile: str | None
    contact_version: int
    version: int


def check_new_user(username: str, password: str, roles: list[str], community: str | None) -> None:
    check_password(password)
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
