"""Staff accounts as a deployment needs them: tokens revoked on sign-out and account changes
(in intake at once, in visits and allowances within a minute), sign-in paused after repeated
failures without spending a password hash, no common passwords, and bearer tokens that are
not ASCII answered 401."""

import threading
import time
from dataclasses import replace

import pytest
from argon2 import PasswordHasher
from test_intake_auth import bearer, client, sign_in  # noqa: F401  (the fixture)

from services.allowances import bootstrap as allowances_wiring
from services.allowances.entrypoints.app import create_app as allowances_app
from services.intake import bootstrap as intake_wiring
from services.intake.domain.district import Community
from services.intake.entrypoints.app import create_app as intake_app
from services.intake.service_layer import users
from services.intake.service_layer.district import configure_communities
from services.intake.service_layer.users import create_user
from services.visits import bootstrap as visits_wiring
from services.visits.entrypoints.app import create_app as visits_app
from shared.web.auth import ADMIN

ROOT = ("root", "correct horse battery")
PASSWORD = "zhao's long password"


def new_visitor(client, admin, username="zhao"):  # noqa: F811
    body = {"username": username, "password": PASSWORD, "roles": ["visitor"]}
    assert client.post("/users", json=body, headers=admin).status_code == 201


# A header's bytes reach the app as Latin-1 (WSGI): UTF-8 arrives as such characters too.
@pytest.mark.parametrize("token", ["tök-en", "tök.en", "ключ".encode().decode("latin-1")])
def test_a_bearer_token_that_is_not_ascii_is_refused_with_401(client, token):  # noqa: F811
    answer = client.get("/users", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401
    assert answer.json["detail"] == "The bearer token is not valid."


def test_signing_out_revokes_every_token_of_the_user_at_once(client):  # noqa: F811
    admin = bearer(client, *ROOT)
    new_visitor(client, admin)
    first, second = bearer(client, "zhao", PASSWORD), bearer(client, "zhao", PASSWORD)
    assert client.get("/district", headers=first).status_code == 200
    assert client.post("/auth/sign-out", headers=first).status_code == 204
    for token in (first, second):
        refused = client.get("/district", headers=token)
        assert refused.status_code == 401 and "revoked" in refused.json["detail"]
    again = bearer(client, "zhao", PASSWORD)
    assert client.get("/district", headers=again).status_code == 200
    trail = client.get("/audit?user=zhao", headers=admin).json["items"]
    assert [line["change"] for line in trail if line["kind"] == "users"] == ["signed out"]


def test_a_fixed_token_cannot_sign_out(client):  # noqa: F811
    app_tokens = client.application.config["PRINCIPALS"]
    assert app_tokens == {}  # the tests' intake has none: a signed token of the admin instead
    admin = bearer(client, *ROOT)
    assert client.post("/auth/sign-out", headers={"Authorization": "Bearer x"}).status_code == 401
    assert client.post("/auth/sign-out", headers=admin).status_code == 204


@pytest.mark.parametrize(
    "change",
    [{"active": False}, {"roles": ["community_head"]}, {"community": "c01"}],
    ids=["disabled", "roles", "community"],
)
def test_an_account_change_revokes_the_users_tokens_in_intake_at_once(client, change):  # noqa: F811
    admin = bearer(client, *ROOT)
    new_visitor(client, admin)
    token = bearer(client, "zhao", PASSWORD)
    assert client.get("/district", headers=token).status_code == 200
    assert client.patch("/users/zhao", json=change, headers=admin).status_code == 200
    assert client.get("/district", headers=token).status_code == 401
    unchanged = client.patch("/users/zhao", json=change, headers=admin)
    assert unchanged.status_code == 200  # the same again changes nothing: no new revocation


def test_the_administrator_resets_a_password_revoking_the_users_tokens(client):  # noqa: F811
    admin = bearer(client, *ROOT)
    new_visitor(client, admin)
    token = bearer(client, "zhao", PASSWORD)
    common = client.post("/users/zhao/password", json={"password": "password1234"}, headers=admin)
    assert common.status_code == 422 and "most common" in common.json["detail"]
    assert common.headers["Content-Type"] == "application/problem+json"
    short = client.post("/users/zhao/password", json={"password": "too short"}, headers=admin)
    assert short.status_code == 422 and "at least 12 characters" in short.json["detail"]
    reset = client.post("/users/zhao/password", json={"password": "a new long one!"}, headers=admin)
    assert reset.status_code == 200, reset.json
    assert client.get("/district", headers=token).status_code == 401
    assert sign_in(client, "zhao", PASSWORD).status_code == 401
    assert sign_in(client, "zhao", "a new long one!").status_code == 200
    revoked = client.post("/users/zhao/password", json={"password": "x" * 20}, headers=token)
    assert revoked.status_code == 401
    trail = client.get("/audit?user=root", headers=admin).json["items"]
    assert "password reset" in [line["change"] for line in trail]
    assert "hash" not in str(trail)
    assert (
        client.post(
            "/users/nobody/password", json={"password": "a new long one!"}, headers=admin
        ).status_code
        == 404
    )


def test_common_passwords_are_refused_when_an_account_is_made(client):  # noqa: F811
    admin = bearer(client, *ROOT)
    body = {"username": "qian", "password": "qwertyqwerty", "roles": ["visitor"]}
    refused = client.post("/users", json=body, headers=admin)
    assert refused.status_code == 422 and refused.json["field"] == "password"


def test_repeated_failures_pause_sign_in_for_the_user_without_hashing(client, monkeypatch):  # noqa: F811
    admin = bearer(client, *ROOT)
    new_visitor(client, admin)
    for attempt in range(5):  # from five addresses: the user name is what is paused
        wrong = {"username": "zhao", "password": f"wrong password {attempt}"}
        elsewhere = {"REMOTE_ADDR": f"192.0.2.{attempt + 1}"}
        assert client.post("/auth/token", json=wrong, environ_base=elsewhere).status_code == 401
    hashed = []

    class CountingHasher(PasswordHasher):
        def verify(self, *args):
            hashed.append(args)
            return super().verify(*args)

    monkeypatch.setattr(users, "HASHER", CountingHasher())
    paused = sign_in(client, "zhao", PASSWORD)  # even the right password
    assert paused.status_code == 429
    assert 0 < int(paused.headers["Retry-After"]) <= 60
    assert "try again in 1 minute" in paused.json["detail"]
    assert hashed == []  # refused before any Argon2 hash
    assert sign_in(client, *ROOT).status_code == 200  # another user from the same address
    assert len(hashed) == 1  # which was heard
    trail = client.get("/audit?user=zhao", headers=admin).json["items"]
    assert [line["change"] for line in trail].count("sign-in failed") == 5
    assert trail[0]["from"] == "192.0.2.5" and trail[0]["after"] == {"reason": "wrong password"}


def test_repeated_failures_from_one_address_pause_it_for_every_user_name(client):  # noqa: F811
    far = {"REMOTE_ADDR": "192.0.2.7"}
    for attempt in range(20):
        answer = client.post(
            "/auth/token",
            json={"username": f"guess{attempt}", "password": "wrong password!"},
            environ_base=far,
        )
        assert answer.status_code == 401
    paused = client.post(
        "/auth/token", json={"username": ROOT[0], "password": ROOT[1]}, environ_base=far
    )
    assert paused.status_code == 429 and int(paused.headers["Retry-After"]) > 0
    assert sign_in(client, *ROOT).status_code == 200  # from elsewhere


@pytest.fixture
def district(settings, infra):
    """Intake, visits and allowances as deployed: one signing key, each its own store, each
    worker running (intake's relay publishes, the others consume)."""
    wired = {}
    for name, wiring, make_app in (
        ("intake", intake_wiring, intake_app),
        ("visits", visits_wiring, visits_app),
        ("allowances", allowances_wiring, allowances_app),
    ):
        own = replace(
            settings,
            # intake by its own name: its events go on intake's topics, which carry only its source
            service="intake" if name == "intake" else f"{settings.service}{name[0]}",
            mongo_url=infra.stores[name],
            mongo_db=f"{settings.mongo_db}_{name}",
        )
        service = wiring.bootstrap(own)
        worker = wiring.worker(service)
        thread = threading.Thread(target=worker.run, name=f"{name}-worker")
        thread.start()
        wired[name] = (service, make_app(service).test_client(), worker, thread)
    intake = wired["intake"][0]
    configure_communities(intake, [Community("c01", "一")])
    create_user(intake, "root", ROOT[1], [ADMIN], None)
    yield {name: parts[1] for name, parts in wired.items()}
    for service, _, worker, thread in wired.values():
        worker.stop.set()
        thread.join(timeout=30)
        service.db.client.drop_database(service.db.name)


def test_a_disabled_user_is_refused_by_visits_and_allowances_within_a_minute(district):
    intake, visits, allowances = district["intake"], district["visits"], district["allowances"]
    admin = bearer(intake, *ROOT)
    body = {"username": "zhao", "password": PASSWORD, "roles": ["visitor", "allowance_officer"]}
    assert intake.post("/users", json=body, headers=admin).status_code == 201
    token = bearer(intake, "zhao", PASSWORD)
    reads = {visits: "/config", allowances: "/programmes"}
    for service, path in reads.items():  # accepted, and remembered for a while
        assert service.get(path, headers=token).status_code == 200
    assert intake.patch("/users/zhao", json={"active": False}, headers=admin).status_code == 200
    disabled_at = time.monotonic()
    refused_after = {}
    while len(refused_after) < 2 and time.monotonic() - disabled_at < 60:
        for service, path in reads.items():
            if service not in refused_after and service.get(path, headers=token).status_code == 401:
                refused_after[service] = time.monotonic() - disabled_at
        time.sleep(1)
    assert set(refused_after) == {visits, allowances}, "still accepted a minute after"
    answer = visits.get("/config", headers=token)
    assert "revoked" in answer.json["detail"]
    assert visits.get("/config", headers=admin).status_code == 200  # others carry on
