"""Bearer-token authentication with roles and community scope, in one module.

Two kinds of bearer token are accepted:
- signed, expiring tokens that intake issues to staff who sign in (`POST /auth/token`), verified
  by every service with the shared `ELDERCARE_SECRET_KEY` (or an earlier key of
  `ELDERCARE_PREVIOUS_SECRET_KEYS`, while keys are rotated). Each names the user's token version:
  a token older than the version a service knows for the user (signed out, disabled, roles,
  community or password changed since) is refused;
- fixed tokens from configuration (`ELDERCARE_TOKENS`, `token:user:role+role[@community]`),
  for machines only: other systems (`integration`) and the console (`operator`), each
  32 characters or more; a process refuses to start with any other.
The district administrator may do everything. A principal bound to a community sees and
changes only that community's elders.
"""

import hashlib
import hmac
from collections.abc import Callable, Sequence
from copy import deepcopy
from dataclasses import dataclass
from functools import wraps
from typing import Any, NoReturn

from flask import abort, current_app, g, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from shared.audit import Actor, acting_as
from shared.config import check_fixed_tokens, check_secret_key
from shared.errors import NotFound
from shared.roles import ADMIN, check_roles


@dataclass(frozen=True)
class Principal:
    user: str
    roles: frozenset[str]
    community: str | None = None  # set: this community's elders only
    token_version: int | None = None  # a signed token's: the user's access when it was issued

    def may_see(self, community: str | None) -> bool:
        return self.community is None or self.community == community


def read_token_spec(spec: str) -> dict[str, Principal]:
    """Who each token of `token:user:role+role[@community],...` stands for."""
    principals = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        token, user, scoped = item.split(":", 2)
        roles, _, community = scoped.partition("@")
        check_roles(set(roles.split("+")), user)
        principals[token] = Principal(user, frozenset(roles.split("+")), community or None)
    return principals


def parse_tokens(spec: str) -> dict[str, Principal]:
    """The fixed tokens of `ELDERCARE_TOKENS`: machines' only (`check_fixed_tokens`)."""
    check_fixed_tokens(spec)
    return read_token_spec(spec)


# Whether a signed token's version is still the user's: False refuses it (401).
CurrentAccess = Callable[[Principal], bool]


class TokenSigner:
    """Signed, expiring bearer tokens (itsdangerous, HMAC-SHA-256 with the shared secret).

    `secret` signs; tokens signed by any of `previous` are still accepted, so that a key can be
    replaced without signing everyone out at once."""

    def __init__(self, secret: str, max_age_seconds: int, previous: Sequence[str] = ()) -> None:
        check_secret_key(secret, "ELDERCARE_SECRET_KEY")
        for key in previous:
            check_secret_key(key, "each key of ELDERCARE_PREVIOUS_SECRET_KEYS")
        self.serializer = URLSafeTimedSerializer(
            [*previous, secret],  # itsdangerous signs with the last one
            salt="eldercare-bearer",
            signer_kwargs={"digest_method": hashlib.sha256},
        )
        self.max_age_seconds = max_age_seconds

    def issue(self, principal: Principal) -> str:
        claims = {
            "u": principal.user,
            "r": sorted(principal.roles),
            "c": principal.community,
            "v": principal.token_version,
        }
        return str(self.serializer.dumps(claims))

    def verify(self, token: str) -> Principal:
        try:
            claims = self.serializer.loads(token, max_age=self.max_age_seconds)
        except SignatureExpired:
            abort(401, description="The token has expired; sign in again.")
        except (BadSignature, UnicodeError):
            abort(401, description="The bearer token is not valid.")
        return Principal(claims["u"], frozenset(claims["r"]), claims["c"], claims.get("v"))


def _authenticate() -> Principal:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        abort(401, description="Send 'Authorization: Bearer <token>'.")
    presented = token.encode()  # compare_digest refuses a str that is not ASCII
    for known, principal in current_app.config["PRINCIPALS"].items():
        if hmac.compare_digest(known.encode(), presented):
            return principal
    signer: TokenSigner | None = current_app.config.get("TOKEN_SIGNER")
    if signer is None or "." not in token:
        abort(401, description="The bearer token is not valid.")
    signed = signer.verify(token)
    current: CurrentAccess | None = current_app.config.get("CURRENT_ACCESS")
    if current is not None and not current(signed):
        abort(
            401,
            description="The token was revoked (signed out, or the account changed since); "
            "sign in again.",
        )
    return signed


def principal() -> Principal:
    """Who is asking, in a view behind `requires`."""
    return g.principal


def actor() -> Actor:
    """The caller as the history of a change records them: who, and from which address."""
    return Actor(principal().user, request.remote_addr)


def community_scope() -> str | None:
    """The community the caller is bound to, if any: lists are limited to it."""
    return principal().community


def forbidden(detail: str) -> NoReturn:
    """Refuse (403) what the caller may not do, saying why and who may."""
    abort(403, description=detail)


def require_community(community: str | None) -> None:
    """Refuse (403) a community-level caller acting beyond their community."""
    scope = community_scope()
    if scope and community != scope:
        forbidden(f"You work with community {scope} only.")


def scoped(args: dict[str, Any]) -> dict[str, Any]:
    """List arguments limited to the caller's community, if they are bound to one."""
    if community_scope():
        require_community(args.setdefault("community", community_scope()))
    return args


def visible(community: str | None, what: str) -> None:
    """For a community-level caller, another community's records, and the district's (of no
    community), do not exist (404)."""
    if not principal().may_see(community):
        raise NotFound(f"No {what} in your community.")


def requires(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Allow the view to principals holding any of `roles`, or the district administrator
    (with no roles named, to the administrator alone)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            principal = _authenticate()
            g.principal = principal  # a refusal too is recorded as theirs (access log)
            if not principal.roles & {*roles, ADMIN}:
                needed = ", ".join((*roles, ADMIN))
                forbidden(f"This needs one of the roles: {needed}.")
            with acting_as(Actor(principal.user, request.remote_addr)):
                return view(*args, **kwargs)

        allowed = sorted({*roles, ADMIN})
        guarded.roles = frozenset(allowed)  # type: ignore[attr-defined]  # read by permissions
        # The roles in the OpenAPI description too, as flask-smorest's `doc` would put them.
        apidoc = deepcopy(getattr(guarded, "_apidoc", {}))
        apidoc.setdefault("manual_doc", {})["x-roles"] = allowed
        guarded._apidoc = apidoc  # type: ignore[attr-defined]
        return guarded

    return decorate
