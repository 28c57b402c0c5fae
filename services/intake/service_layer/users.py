"""Use cases: create and change staff accounts, sign in for a signed, expiring token, sign out.

Whatever changes an account's access (disabled or enabled, roles or community changed, password
reset, signed out) raises its token version and announces it (`staff.access_changed`): every
token issued before is refused, by intake at once and by the other services within a minute."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import NoReturn

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from services.intake.domain.passwords import check_password
from services.intake.domain.sign_in_throttle import FREE_FAILURES
from services.intake.domain.sign_in_throttle import FREE_FAILURES_PER_ADDRESS as PER_ADDRESS
from services.intake.domain.user import User, check_duties, check_new_user
from services.intake.service_layer.container import Intake
from shared.audit import Actor
from shared.errors import NotFound, RuleViolation
from shared.events import Event, announce
from shared.web.auth import Principal, TokenSigner

log = logging.getLogger(__name__)

HASHER = PasswordHasher()
# Compared against when the user does not exist, so that timing does not tell.
UNKNOWN_USER_HASH = HASHER.hash("not a real password, ever")


class SignInRefused(Exception):
    """Wrong username or password, or an inactive account: one answer for all."""


class SignInThrottled(Exception):
    """Too many failures for this user name or from this address: try again later."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def create_user(
    intake: Intake,
    username: str,
    password: str,
    roles: list[str],
    community: str | None,
    mobile: str | None = None,
) -> User:
    check_new_user(username, password, roles, community)
    if community:
        intake.district.get().community(community)
    user = User(username, HASHER.hash(password), tuple(sorted(roles)), community)
    user = user.with_mobile(mobile)
    intake.users.add(user, *_contact_changed(intake, User(username, "", ()), user))
    return user


def change_user(
    intake: Intake,
    username: str,
    roles: list[str] | None = None,
    community: str | None = "",
    active: bool | None = None,
    mobile: str | None = "",
) -> User:
    """Change an account's roles, community (None: unbound; "" leaves it), standing or mobile
    number (None: none; "" leaves it); a disabled account can no longer sign in, and its
    tokens are refused."""
    before = _existing(intake, username)
    after = replace(
        before,
        roles=tuple(sorted(roles)) if roles is not None else before.roles,
        community=before.community if community == "" else community,
        active=before.active if active is None else active,
    ).with_mobile(before.mobile if mobile == "" else mobile)
    check_duties(username, after.roles, after.community)
    if after.community:
        intake.district.get().community(after.community)
    change = after.access_change(before)
    contact = _contact_changed(intake, before, after)
    if change:
        _revoke_tokens(intake, before, after, change, "user changed", *contact)
    elif contact:
        intake.users.change(before, after, *contact, summary="mobile number changed")
    return intake.users.get(username) or after


def reset_password(intake: Intake, username: str, password: str) -> User:
    """The administrator sets a new password; the user's tokens are refused from now on."""
    check_password(password)
    before = _existing(intake, username)
    after = replace(before, password_hash=HASHER.hash(password))
    return _revoke_tokens(intake, before, after, "password reset", "password reset")


def sign_out(intake: Intake, signed_in: Principal) -> User:
    """End every session of the signed-in user: each of their tokens is refused from now on."""
    if signed_in.token_version is None:
        raise RuleViolation("only staff who signed in can sign out; this token is configured")
    before = _existing(intake, signed_in.user)
    return _revoke_tokens(intake, before, before, "signed out", "signed out")


def sign_in(intake: Intake, username: str, password: str, address: str) -> tuple[str, int, User]:
    """A bearer token, its lifetime in seconds, and who signed in. Refused without checking
    the password while this user name or address is paused after repeated failures."""
    if not intake.settings.secret_key:
        raise RuleViolation("sign-in is not configured: set ELDERCARE_SECRET_KEY")
    keys = ((f"user:{username.lower()}", FREE_FAILURES), (f"address:{address}", PER_ADDRESS))
    _refuse_while_paused(intake, keys, username, address)
    user = intake.users.get(username)
    try:
        HASHER.verify(user.password_hash if user else UNKNOWN_USER_HASH, password)
    except (VerificationError, InvalidHashError):
        _failed(intake, keys, username, address, "wrong password" if user else "unknown user")
    if user is None or not user.active:
        _failed(intake, keys, username, address, "account disabled")
    intake.sign_in_failures.forget(keys[0][0])
    if HASHER.check_needs_rehash(user.password_hash):
        intake.users.set_password_hash(username, HASHER.hash(password))
    token = _signer(intake).issue(
        Principal(user.username, frozenset(user.roles), user.community, user.token_version)
    )
    return token, intake.settings.token_ttl_seconds, user


def holds_current_token(intake: Intake, signed_in: Principal) -> bool:
    """Intake knows its users: a token is good while its account is active and of its
    latest token version."""
    user = intake.users.get(signed_in.user)
    return user is not None and user.active and (signed_in.token_version or 0) >= user.token_version


def _existing(intake: Intake, username: str) -> User:
    user = intake.users.get(username)
    if user is None:
        raise NotFound(f"No user {username!r}.")
    return user


def _revoke_tokens(
    intake: Intake, before: User, after: User, change: str, summary: str, *also: Event
) -> User:
    revoked = after.with_tokens_revoked()
    access = _access_changed(intake, revoked, change)
    intake.users.change(before, revoked, access, *also, summary=summary)
    return revoked


def _contact_changed(intake: Intake, before: User, after: User) -> list[Event]:
    """The event announcing the account's new mobile number, if it changed."""
    if after.contact_version == before.contact_version:
        return []
    data = {
        "username": after.username,
        "mobile": after.mobile,
        "contact_version": after.contact_version,
    }
    return [announce(intake, "staff.contact_changed", after.username, data)]


def _access_changed(intake: Intake, user: User, change: str) -> Event:
    data = {"username": user.username, "token_version": user.token_version, "change": change}
    return announce(intake, "staff.access_changed", user.username, data)


Keys = tuple[tuple[str, int], ...]  # what failures are counted by, and how many are free


def _refuse_while_paused(intake: Intake, keys: Keys, username: str, address: str) -> None:
    now = intake.clock.now()
    counted = [intake.sign_in_failures.of(key, free) for key, free in keys]
    waits = [failures.retry_after(now) for failures in counted if failures]
    wait = max(waits, default=0)
    if wait:
        log.warning(
            "sign-in refused: paused after repeated failures",
            extra={"user": username, "client": address, "retry_after": wait},
        )
        raise SignInThrottled(wait)


def _failed(intake: Intake, keys: Keys, username: str, address: str, reason: str) -> NoReturn:
    counts = [intake.sign_in_failures.count(key, free).count for key, free in keys]
    log.warning(
        "sign-in failed",
        extra={"user": username, "client": address, "reason": reason, "failures": max(counts)},
    )
    if reason != "unknown user":
        intake.users.note_failed_sign_in(username, Actor(username, address), reason)
    raise SignInRefused


def _signer(intake: Intake) -> TokenSigner:
    settings = intake.settings
    return TokenSigner(
        settings.secret_key, settings.token_ttl_seconds, settings.previous_secret_keys
    )
