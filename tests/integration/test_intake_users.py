"""The district administrator changes staff accounts (roles, community, disabled), and intake's
audit trail shows who created and changed them."""

from test_intake_auth import bearer, client, sign_in  # noqa: F401  (the fixture)


def test_an_account_is_changed_disabled_and_audited(client):  # noqa: F811
    admin = bearer(client, "root", "correct horse battery")
    made = client.post(
        "/users",
        json={"username": "zhao", "password": "zhao's long password", "roles": ["visitor"]},
        headers=admin,
    )
    assert made.status_code == 201
    changed = client.patch(
        "/users/zhao", json={"roles": ["community_head"], "community": "c02"}, headers=admin
    )
    assert changed.status_code == 200, changed.json
    assert (changed.json["roles"], changed.json["community"]) == (["community_head"], "c02")
    assert client.patch("/users/zhao", json={"community": "c99"}, headers=admin).status_code == 422
    assert client.patch("/users/nobody", json={"active": False}, headers=admin).status_code == 404
    assert sign_in(client, "zhao", "zhao's long password").status_code == 200
    client.patch("/users/zhao", json={"active": False}, headers=admin)
    assert sign_in(client, "zhao", "zhao's long password").status_code == 401
    assert client.patch("/users/zhao", json={}, headers=bearer_of_nobody()).status_code == 401

    trail = client.get("/audit?user=root", headers=admin).json["items"]
    lines = [(line["record_id"], line["change"]) for line in trail if line["kind"] == "users"]
    assert lines == [("zhao", "user changed"), ("zhao", "user changed"), ("zhao", "user created")]
    created = next(line for line in trail if line["change"] == "user created")
    assert "password_hash" not in created["after"] and "hash" not in str(trail)


def bearer_of_nobody() -> dict[str, str]:
    return {"Authorization": "Bearer not-a-token"}
