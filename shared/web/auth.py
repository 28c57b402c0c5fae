"""Bearer-token authentication with roles, in one module.

Tokens come from configuration (`ELDERCARE_TOKENS`), a comma-separated list of
`token:user:role+role`. The district administrator may do everything.
"""

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import abort, current_app, g, request

ADMIN = "district_admin"
ROLES = (
    "intake_clerk",
    "visitor",
    "allowance_officer",
    "approver",
    "community_head",
    "operator",
    "integration",  # another system publishing events over HTTP
    ADMIN,
)


@dataclass(frozen=True)
class Principal:
    user: str
    roles: frozenset[str]


def parse_tokens(spec: str) -> dict[str, Principal]:
    principals = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        token, user, roles = item.split(":", 2)
        unknown = set(roles.split("+")) - set(ROLES)
        if unknown:
            raise ValueError(f"unknown roles for {user}: {sorted(unknown)}")
        principals[token] = Principal(user, frozenset(roles.split("+")))
    return principals


def _authenticate() -> Principal:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        abort(401, description="Send 'Authorization: Bearer <token>'.")
    for known, principal in current_app.config["PRINCIPALS"].items():
        if hmac.compare_digest(known, token.strip()):
            return principal
    abort(401, description="The bearer token is not valid.")


def requires(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Allow the view to principals holding any of `roles`, or the district administrator
    (with no roles named, to the administrator alone)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            principal = _authenticate()
            if not principal.roles & {*roles, ADMIN}:
                needed = ", ".join((*roles, ADMIN))
                abort(403, description=f"This needs one of the roles: {needed}.")
            g.principal = principal
            return view(*args, **kwargs)

        return guarded

    return decorate
