"""The permission matrix, enforced: every endpoint of every service, without a token and with a
token for every role, against the real apps on a real store."""

import re
from datetime import UTC, datetime
from importlib import import_module

import pytest
from staff import add_staff, staff_headers

from shared.clock import FixedClock
from shared.roles import ROLES
from shared.web.permissions import SERVICES, endpoints

TOKENS = ",".join(f"tok-{role}:user-{role}:{role}" for role in ROLES)
STAFF = staff_headers(TOKENS)
MONTH = "2026-11"
CLOCK = FixedClock(datetime(2026, 11, 29, 2, tzinfo=UTC))


@pytest.fixture(params=SERVICES)
def service_app(request, settings):
    service = request.param
    bootstrap = import_module(f"services.{service}.bootstrap").bootstrap
    create_app = import_module(f"services.{service}.entrypoints.app").create_app
    wired = bootstrap(settings, CLOCK)
    add_staff(wired, TOKENS)
    app = create_app(wired)
    yield service, app
    wired.db.client.drop_database(wired.db.name)


def concrete(path: str) -> str:
    """A path with every parameter filled in (a record that does not exist; a number where the
    route takes one, so that the route is found and its guard answers)."""

    def filled(m: re.Match[str]) -> str:
        return MONTH if m[2] == "month" else "1" if m[1] == "int" else "nope"

    return re.sub(r"<(?:([a-z]+):)?([a-z_]+)>", filled, path)


def test_every_endpoint_refuses_the_anonymous_and_every_role_it_does_not_allow(service_app):
    service, app = service_app
    client = app.test_client()
    guarded = [e for e in endpoints(app, service) if e.roles is not None]
    assert len(guarded) > 10
    guarded.sort(key=lambda e: e.path == "/auth/sign-out")  # it revokes the caller's token
    failures = []
    for endpoint in guarded:
        path = concrete(endpoint.path)
        anonymous = client.open(path, method=endpoint.method)
        if anonymous.status_code != 401:
            failures.append((endpoint.method, path, None, anonymous.status_code))
        for role in ROLES:
            answer = client.open(path, method=endpoint.method, headers=STAFF[f"tok-{role}"])
            allowed = endpoint.allows(role)
            if (answer.status_code == 403) == allowed or answer.status_code == 401:
                failures.append((endpoint.method, path, role, answer.status_code))
            if answer.status_code >= 500:
                failures.append((endpoint.method, path, role, answer.status_code))
    assert failures == []


def test_a_forged_token_is_401_everywhere(service_app):
    service, app = service_app
    client = app.test_client()
    for endpoint in (e for e in endpoints(app, service) if e.roles is not None):
        answer = client.open(
            concrete(endpoint.path),
            method=endpoint.method,
            headers={"Authorization": "Bearer forged.token.value"},
        )
        assert answer.status_code == 401, (endpoint.method, endpoint.path)
        assert answer.headers["WWW-Authenticate"] == "Bearer"


def test_the_roles_are_in_each_operation_of_the_openapi_description(service_app):
    service, app = service_app
    spec = app.test_client().get("/openapi.json").json
    for endpoint in (e for e in endpoints(app, service) if e.roles is not None):
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", endpoint.path)
        operation = spec["paths"][path][endpoint.method.lower()]
        assert set(operation["x-roles"]) == endpoint.roles, (endpoint.method, path)
