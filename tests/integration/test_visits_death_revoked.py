"""A death reported in error, revoked in intake, through visits' worker handlers on the real
store: the work the death closed is open again, deadlines moved on by the days it was closed;
an elder who comes back to the district is owed a moving-house visit."""

from datetime import date, timedelta

from test_visits_support import (
    HEAD,
    NOW,
    VISITOR,
    configure,
    elder_event,
    handle,
    incident_event,
    pending_events,
    register,
)

HOUR = timedelta(hours=1)

pytest_plugins = ["test_visits_support"]  # the fixtures `visits` and `client`


def obligation(client, obligation_id):
    return client.get(f"/obligations/{obligation_id}", headers=HEAD).json


def test_revoking_a_death_reopens_its_cancelled_work_and_resumes_pairings(client, visits):
    configure(client, "xinhua", "wang")
    register(visits, "e-1")
    handle(visits, incident_event(visits, "i-1", "e-1", "hospitalised", NOW - HOUR))
    handle(visits, incident_event(visits, "i-2", "e-1", "worries", NOW - HOUR))
    cancelled_by_head = client.post(
        "/obligations/incident:i-2/cancel", json={"reason": "duplicate report"}, headers=HEAD
    )
    assert cancelled_by_head.status_code == 200, cancelled_by_head.json
    pairing = client.post(
        "/pairings",
        json={
            "elder_id": "e-1",
            "partner_id": "vol-1",
            "partner_name": "张",
            "partner_kind": "volunteer",
        },
        headers=HEAD,
    ).json
    died = {"status": "deceased", "died_on": date(2026, 11, 29), "reported_by": "registry"}
    handle(visits, elder_event(visits, "elder.deceased", "e-1", 2, **died))
    before = obligation(client, "incident:i-1")
    assert before["status"] == "cancelled"

    meanwhile = incident_event(visits, "i-3", "e-1", "hardship", NOW)
    assert handle(visits, meanwhile) is True  # kept while the register says dead
    assert client.get("/obligations/incident:i-3", headers=HEAD).status_code == 404

    visits.clock.move_to(NOW + 2 * 24 * HOUR)  # two days later, the registry's error is found
    revoked = elder_event(
        visits,
        "elder.death_revoked",
        "e-1",
        3,
        revoked_died_on=date(2026, 11, 29),
        reason="registry error",
    )
    assert handle(visits, revoked) is True
    reopened = obligation(client, "incident:i-1")
    assert (reopened["status"], reopened["assignee"]) == ("open", "wang")
    assert reopened["due_at"] == (NOW - HOUR + 72 * HOUR + 2 * 24 * HOUR).isoformat()
    assert pending_events(visits, "obligations", "incident:i-1")[-1] == "obligation.reopened"
    assert obligation(client, "incident:i-2")["status"] == "cancelled"  # the head's decision
    resumed = client.get(f"/pairings/{pairing['pairing_id']}", headers=HEAD).json
    assert (resumed["status"], resumed["end_reason"]) == ("active", None)
    assert pending_events(visits, "pairings", pairing["pairing_id"])[-1] == "pairing.resumed"
    late = obligation(client, "incident:i-3")
    assert (late["status"], late["assignee"]) == ("open", "wang")
    # reported while the register said dead: due the trigger's hours after the revocation
    hardship_hours = visits.config.get().deadline_hours("hardship")
    assert late["due_at"] == (NOW + 2 * 24 * HOUR + hardship_hours * HOUR).isoformat()
    assert visits.incidents.get("incident:i-3").status == "opened"
    assert handle(visits, revoked) is False  # delivered again: nothing more

    served = client.post(
        "/obligations",
        json={"elder_id": "e-1", "trigger": "worries", "occurred_at": NOW.isoformat()},
        headers=VISITOR,
    )
    assert served.status_code == 201, served.json


def test_an_elder_who_returns_to_the_district_is_served_again_and_owed_a_moving_house_visit(
    client, visits
):
    configure(client, "dongfeng", "zhao")
    register(visits, "e-2")
    left = {"status": "moved_out", "moved_out_on": date(2026, 3, 10)}
    gone = elder_event(visits, "elder.moved_out", "e-2", 2, moved_on=date(2026, 3, 10), **left)
    handle(visits, gone)
    back = elder_event(
        visits,
        "elder.returned",
        "e-2",
        3,
        community="dongfeng",
        returned_on=date(2026, 11, 28),
        away_since=date(2026, 3, 10),
        to_community="dongfeng",
        absences=[{"moved_out_on": date(2026, 3, 10), "returned_on": date(2026, 11, 28)}],
    )
    assert handle(visits, back) is True
    moving = obligation(client, f"moved:{back.id}")
    assert (moving["trigger"], moving["community"], moving["assignee"], moving["status"]) == (
        "moving_house",
        "dongfeng",
        "zhao",
        "open",
    )
    assert client.get("/elders/e-2", headers=HEAD).json["status"] == "active"
