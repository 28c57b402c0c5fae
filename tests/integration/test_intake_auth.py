"""Sign-in with hashed passwords and signed tokens; community scoping; security headers."""

import json
from datetime import UTC, date, datetime

import pytest
from test_intake_api import registration

from services.intake.bootstrap import bootstrap
from services.intake.domain.district import Community
from services.intake.entrypoints.app import create_app
from services.intake.service_layer.district import configure_communities
from services.intake.service_layer.users import create_user
from shared.clock import FixedClock
from shared.outbox import OUTBOX
from shared.web.auth import ADMIN


@pytest.fixture
def client(settings):
    intake = bootstrap(
        settings,
        FixedClock(datetime(2026, 11, 29, 2, tzinfo=UTC)),
    )
    configure_communities(intake, [Community("c01", "一"), Community("c02", "二")])
    create_user(intake, "root", "correct horse battery", [ADMIN], None)
    yield create_app(intake).test_client()
    intake.db.client.drop_database(intake.db.name)


def sign_in(client, username, password):
    response = client.post("/auth/token", json={"username": username, "password": password})
    return response


def bearer(client, username, password):
    token = sign_in(client, username, password).json["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_staff_sign_in_and_the_token_opens_the_api(client):
    answer = sign_in(client, "root", "correct horse battery")
    assert answer.status_code == 200
    assert answer.json["token_type"] == "Bearer" and answer.json["expires_in"] == 8 * 3600
    # who signed in, for the workbench's menus (the services still check every call)
    assert answer.json["user"] == "root"
    assert (answer.json["roles"], answer.json["community"]) == ([ADMIN], None)
    admin = {"Authorization": f"Bearer {answer.json['access_token']}"}
    assert client.get("/users", headers=admin).json[0]["username"] == "root"
    assert "password_hash" not in client.get("/users", headers=admin).json[0]


@pytest.mark.parametrize(
    ("username", "password"), [("root", "wrong password!"), ("nobody", "correct horse battery")]
)
def test_wrong_credentials_get_one_and_the_same_answer(client, username, password):
    answer = sign_in(client, username, password)
    assert answer.status_code == 401
    assert answer.json["detail"] == "Wrong username or password."


def test_a_forged_or_tampered_token_is_refused(client):
    token = sign_in(client, "root", "correct horse battery").json["access_token"]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    answer = client.get("/users", headers={"Authorization": f"Bearer {tampered}"})
    assert answer.status_code == 401
    assert answer.json["detail"] == "The bearer token is not valid."


def test_short_passwords_and_unknown_roles_are_refused(client):
    admin = bearer(client, "root", "correct horse battery")
    short = client.post(
        "/users", json={"username": "a1", "password": "short", "roles": ["visitor"]}, headers=admin
    )
    assert short.status_code == 422 and "at least 12" in short.json["detail"]
    odd = client.post(
        "/users",
        json={"username": "a2", "password": "long enough pass", "roles": ["wizard"]},
        headers=admin,
    )
    assert odd.status_code == 422


def test_a_community_clerk_sees_and_changes_only_that_community(client):
    admin = bearer(client, "root", "correct horse battery")
    made = client.post(
        "/users",
        json={
            "username": "li",
            "password": "li's long password",
            "roles": ["intake_clerk"],
            "community": "c01",
        },
        headers=admin,
    )
    assert made.status_code == 201, made.json
    clerk = bearer(client, "li", "li's long password")
    mine = client.post("/elders", json=registration(), headers=clerk)
    assert mine.status_code == 201
    theirs = client.post(
        "/elders",
        json=registration(sequence=4, community="c02", born=date(1941, 1, 1)),
        headers=admin,
    )
    assert theirs.status_code == 201
    assert (
        client.post(
            "/elders", json=registration(sequence=6, community="c02"), headers=clerk
        ).status_code
        == 403
    )

    listed = client.get("/elders", headers=clerk).json
    assert [e["community"] for e in listed["items"]] == ["c01"]
    assert client.get("/elders?community=c02", headers=clerk).status_code == 403
    other = f"/elders/{theirs.json['elder_id']}"
    assert client.get(other, headers=clerk).status_code == 404
    assert (
        client.patch(other, json={"version": 1, "phone": "13800000000"}, headers=clerk).status_code
        == 404
    )
    assert client.get("/statistics", headers=clerk).json["district"]["elders"] == 1
    assert client.get("/statistics", headers=admin).json["district"]["elders"] == 2

    trail = client.get("/audit?user=li", headers=admin).json
    assert sorted((line["kind"], line["elder_id"], line["change"]) for line in trail["items"]) == [
        ("elders", mine.json["elder_id"], "registered"),
        ("households", mine.json["elder_id"], "household.formed"),  # the registration's home
    ]
    assert trail["total"] == 2
    about = client.get(f"/audit?elder_id={mine.json['elder_id']}", headers=admin).json
    assert sorted((line["by"], line["change"]) for line in about["items"]) == [
        ("li", "household.formed"),
        ("li", "registered"),
    ]
    assert client.get("/audit?user=li", headers=clerk).status_code == 403


def test_every_answer_carries_security_headers(client):
    answer = client.get("/healthz")
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'none'" in answer.headers["Content-Security-Policy"]


def test_id_and_phone_numbers_are_masked_in_lists_and_for_roles_that_do_not_need_them(client):
    admin = bearer(client, "root", "correct horse battery")
    body = registration()
    made = client.post("/elders", json=body, headers=admin)
    assert made.status_code == 201
    nid, phone = body["national_id"], made.json["phone"]
    assert made.json["national_id"] == nid  # the clerk and administrator see what they typed
    listed = client.get("/elders", headers=admin).json["items"][0]
    assert listed["national_id"] == f"{nid[:6]}********{nid[-4:]}"
    if phone:
        assert listed["phone"] == f"{phone[:3]}****{phone[-4:]}"
    assert nid not in client.get("/elders", headers=admin).get_data(as_text=True)
    client.post(
        "/users",
        json={"username": "wu", "password": "wu's long password", "roles": ["visitor"]},
        headers=admin,
    )
    visitor = bearer(client, "wu", "wu's long password")
    one = client.get(f"/elders/{made.json['elder_id']}", headers=visitor)
    assert one.status_code == 200
    assert one.json["national_id"] == f"{nid[:6]}********{nid[-4:]}"
    assert client.get(f"/elders/{made.json['elder_id']}", headers=admin).json["national_id"] == nid


def test_a_community_head_reads_the_staff_of_their_community_only(client):
    admin = bearer(client, "root", "correct horse battery")
    for username, roles, community in (
        ("zhao", ["visitor"], "c01"),
        ("qian", ["community_head"], "c01"),
        ("sun", ["visitor"], "c02"),
        ("roving", ["visitor"], None),
    ):
        body = {"username": username, "password": "a long password", "roles": roles}
        made = client.post("/users", json={**body, "community": community}, headers=admin)
        assert made.status_code == 201, made.json
    head = bearer(client, "qian", "a long password")
    staff = client.get("/communities/c01/staff", headers=head)
    assert [(u["username"], u["roles"]) for u in staff.json] == [
        ("qian", ["community_head"]),
        ("zhao", ["visitor"]),
    ]
    assert "password_hash" not in staff.json[0]
    assert client.get("/communities/c02/staff", headers=head).status_code == 403
    visitor = bearer(client, "zhao", "a long password")
    assert client.get("/communities/c01/staff", headers=visitor).status_code == 403


def staff_events(client_app_db, username):
    """The staff events waiting in the account's outbox, as (type, data)."""
    document = client_app_db["users"].find_one({"_id": username})
    events = [json.loads(e["value"]) for e in document.get(OUTBOX, [])]
    return [(e["type"], e["data"]) for e in events]


def test_a_staff_accounts_mobile_number_is_kept_and_announced_for_the_reminders(client):
    admin = bearer(client, "root", "correct horse battery")
    db = client.application.extensions["intake"].db
    body = {"username": "zhao", "password": "a long password", "roles": ["visitor"]}
    wrong = client.post("/users", json={**body, "mobile": "1380013800"}, headers=admin)
    assert wrong.status_code == 422 and "mobile" in wrong.json["errors"]
    made = client.post("/users", json={**body, "mobile": "13800138000"}, headers=admin)
    assert made.status_code == 201 and made.json["mobile"] == "13800138000"
    announced = ("staff.contact_changed", {"username": "zhao", "mobile": "13800138000"})
    [(kind, data)] = staff_events(db, "zhao")
    assert (kind, {k: data[k] for k in ("username", "mobile")}) == announced
    assert data["contact_version"] == 1

    same = client.patch("/users/zhao", json={"mobile": "13800138000"}, headers=admin)
    assert same.status_code == 200 and len(staff_events(db, "zhao")) == 1, "nothing changed"
    changed = client.patch("/users/zhao", json={"mobile": "13900139000"}, headers=admin)
    assert changed.json["mobile"] == "13900139000"
    # a change of duties and number in one: the tokens are revoked and the number announced
    both = client.patch(
        "/users/zhao", json={"mobile": None, "roles": ["community_head"]}, headers=admin
    )
    assert both.json["mobile"] is None
    kinds = [(kind, data.get("contact_version")) for kind, data in staff_events(db, "zhao")]
    assert kinds == [
        ("staff.contact_changed", 1),
        ("staff.contact_changed", 2),
        ("staff.access_changed", None),
        ("staff.contact_changed", 3),
    ]
    history = db["users"].find_one({"_id": "zhao"})["history"]
    assert "mobile number changed" in [line["change"] for line in history]
