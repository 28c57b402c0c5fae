"""The permission matrix: every endpoint of every service and the roles `requires` lets in.

Read from the apps themselves (each guarded view carries its roles, see `requires`), so the
matrix cannot drift from the code. `python -m shared.web.permissions > docs/security.md`
writes the documentation page; a test fails when it is stale.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

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


def endpoints(app: Flask, service: str) -> Iterator[Endpoint]:
    """Every route and method of the app, in the order of path and method."""
    found = [
        Endpoint(
            service, method, rule.rule, getattr(app.view_functions[rule.endpoint], "roles", None)
        )
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    ]
    return iter(sorted(found, key=lambda e: (e.path, e.method)))


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
