"""Use cases: create and change staff accounts, and sign in for a signed, expiring token."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from services.intake.domain.user import User, check_duties, check_new_user
from shared.errors import NotFound, RuleViolation
from shared.web.auth import Principal, TokenSigner

if TYPE_CHECKING:
    from services.intake.bootstrap import Intake

HASHER = PasswordHasher()
# Compared against when the user does not exist, so that timing does not tell.
UNKNOWN_USER_HASH = HASHER.hash("not a real password, ever")


class SignInRefused(Exception):
    """Wrong username or password, or an inactive account: one answer for all."""


def create_user(
    intake: Intake, username: str, password: str, roles: list[str], community: str | None
) -> User:
    check_new_user(username, password, roles, community)
    if community:
        intake.district.get().community(community)
    user = User(username, HASHER.hash(password), tuple(sorted(roles)), community)
    intake.users.add(user)
    return user


def change_user(
    intake: Intake,
    username: str,
    roles: list[str] | None = None,
    community: str | None = "",
    active: bool | None = None,
) -> User:
    """Change an account's roles, community (None: unbound; "" leaves it) or standing; a
    disabled account can no longer sign in."""
    before = intake.users.get(username)
    if before is None:
        raise NotFound(f"No user {username!r}.")
    after = replace(
        before,
        roles=tuple(sorted(roles)) if roles is not None else before.roles,
        community=before.community if community == "" else community,
        active=before.active if active is None else active,
    )
    check_duties(username, after.roles, after.community)
    if after.community:
        intake.district.get().community(after.community)
    if after != before:
        intake.users.change(before, after)
    return after


def sign_in(intake: Intake, username: str, password: str) -> tuple[str, int, User]:
    """A bearer token, its lifetime in seconds, and who signed in."""
    if not intake.settings.secret_key:
        raise RuleViolation("sign-in is not configured: set ELDERCARE_SECRET_KEY")
    user = intake.users.get(username)
    try:
        HASHER.verify(user.password_hash if user else UNKNOWN_USER_HASH, password)
    except (VerificationError, InvalidHashError):
        raise SignInRefused from None
    if user is None or not user.active:
        raise SignInRefused
    if HASHER.check_needs_rehash(user.password_hash):
        intake.users.set_password_hash(username, HASHER.hash(password))
    signer = TokenSigner(intake.settings.secret_key, intake.settings.token_ttl_seconds)
    token = signer.issue(Principal(user.username, frozenset(user.roles), user.community))
    return token, intake.settings.token_ttl_seconds, user
