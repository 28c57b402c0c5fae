"""The permission matrix: every endpoint of every service and the roles `requires` lets in.

Read from the apps themselves (each guarded view carries its roles, see `requires`), so the
matrix cannot drift from the code. `python -m shared.web.permissions > docs/security.md`
writes the documentation page; a test fails when it is stale.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask

from shared.config import Settings
from shared.roles import ADMIN, ROLES
from shared.web.app import create_service_app

SERVICES = ("intake", "visits", "allowances")
STAFF_ROLES = (*(role for role in ROLES if role != ADMIN), ADMIN)


@dataclass(frozen=True)
class Endpoint:
    service: str
    method: str
    path: str  # the Flask rule, e.g. /elders/<elder_id>
    roles: frozenset[str] | None  # None: open to anyone (health, metrics, OpenAPI, sign-in)

    def allows(self, role: str) -> bool:
        return self.roles is None or role in self.roles


def view_of(app: Flask, endpoint: str, method: str) -> Callable[..., Any]:
    """The function that answers `method` on the endpoint (a MethodView's method, or the view)."""
    view = app.view_functions[endpoint]
    view_class = getattr(view, "view_class", None)
    return getattr(view_class, method.lower()) if view_class is not None else view


def endpoints(app: Flask, service: str) -> Iterator[Endpoint]:
    """Every route and method of the app, in path order."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            roles = getattr(view_of(app, rule.endpoint, method), "roles", None)
            yield Endpoint(service, method, rule.rule, roles)


def bare_app(service: str) -> Flask:
    """The service's API with its routes and no store behind it: enough to list endpoints."""
    module = import_module(f"services.{service}.entrypoints.app")
    return create_service_app(Settings(service=service), module.TITLE, module.BLUEPRINTS, {})


def matrix() -> list[Endpoint]:
    return [e for service in SERVICES for e in endpoints(bare_app(service), service)]


# The prose of the page, kept as Markdown; the matrix below it is read from the apps.
PREAMBLE = (Path(__file__).with_name("security.md")).read_text(encoding="utf-8")


def markdown() -> str:
    lines = [PREAMBLE]
    every = matrix()
    for service in SERVICES:
        lines.append(f"\n### {service}\n")
        lines.append("| endpoint | " + " | ".join(STAFF_ROLES) + " |")
        lines.append("| --- |" + " :-: |" * len(STAFF_ROLES))
        for e in (e for e in every if e.service == service):
            if e.roles is None:
                cells = ["anyone"] + [""] * (len(STAFF_ROLES) - 1)
            else:
                cells = ["✓" if e.allows(role) else "·" for role in STAFF_ROLES]
            lines.append(f"| `{e.method} {e.path}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
