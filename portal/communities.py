"""The communities a community-level user works in, and so what the workbench shows them.

A staff account bound to a community (intake's `community`) sees only that community's
records: the services enforce it. An account bound to none is held by the workbench to the
communities visits' configuration names it the worker or head of, so that a community head
never sees another community's elders or work, whichever way the account was made.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from flask import g, request, session

from portal.apis import Read, call
from portal.auth import roles

HEAD = "community_head"


def communities_of(
    user: str, bound: str | None, staffing: Iterable[Mapping[str, Any]]
) -> tuple[str, ...]:
    """The community the account is bound to, else those it is named worker or head of."""
    if bound:
        return (bound,)
    return tuple(
        sorted(s["community"] for s in staffing if user in (s.get("worker"), s.get("head")))
    )


def staffing() -> list[dict[str, Any]]:
    """Each community's worker and head, as visits' configuration names them (once a request)."""
    if "staffing" not in g:
        staffed(call("visits", "GET", "/config"))
    return g.staffing


def staffing_reads() -> list[Read]:
    """The read `staffing` makes, for a page to make at once with its others (none if this
    request made it already); `staffed` keeps its answer."""
    return [] if "staffing" in g else [Read("visits", "/config")]


def staffed(configuration: dict[str, Any]) -> None:
    g.staffing = configuration.get("communities", [])


# The roles visits' configuration names a community's worker or head; only they may read it
# (the office, clerks and officers, is named in it by no one).
STAFFED = frozenset({"visitor", HEAD})


def my_communities() -> tuple[str, ...]:
    bound = session.get("community")
    named = not bound and roles() & STAFFED
    return communities_of(session.get("user", ""), bound, staffing() if named else [])


def held_to_communities() -> bool:
    """A community head (and not the district administrator) sees their communities only."""
    held = roles()
    return HEAD in held and "district_admin" not in held


def communities_listed() -> tuple[str, ...] | None:
    """The communities whose work the user's lists show; None: as far as the services let."""
    mine = my_communities()
    return mine if mine or held_to_communities() else None


def may_see(community: str | None) -> bool:
    return not held_to_communities() or community in my_communities()


def community_asked() -> str:
    """The community the address asks for; when none, a user held to communities gets their
    first, anyone else none (""): the page decides what none means."""
    listed = communities_listed()
    return request.args.get("community", "").strip() or (listed[0] if listed else "")


def worker_of(community: str) -> str | None:
    found = (s.get("worker") for s in staffing() if s["community"] == community)
    return next(found, None)
