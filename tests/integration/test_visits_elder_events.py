"""What intake's elder events do to visits' work, through the worker's handlers on the real
store: incidents wait for an unknown elder, a move opens a must-visit and takes open work along,
a death cancels open work and ends pairings while history stays."""

from datetime import date, timedelta

from test_visits_support import (
    ADMIN,
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

from services.visits.domain.triggers import reported
from services.visits.service_layer.obligations import open_for_incident
from shared.events import new_event

HOUR = timedelta(hours=1)

pytest_plugins = ["test_visits_support"]  # the fixtures `visits` and `client`


def obligation(client, obligation_id):
    return client.get(f"/obligations/{obligation_id}", headers=HEAD)


def death(visits, elder_id: str, version: int, died_on: date, reported_by: str):
    fields = {"status": "deceased", "died_on": died_on, "reported_by": reported_by}
    return elder_event(visits, "elder.deceased", elder_id, version, **fields)


def move_to_dongfeng(visits, elder_id: str):
    """The elder's second version: moved from xinhua to dongfeng."""
    fields = {"from_community": "xinhua", "to_community": "dongfeng"}
    moved_on = date(2026, 11, 28)
    return elder_event(
        visits, "elder.moved", elder_id, 2, community="dongfeng", moved_on=moved_on, **fields
    )


def test_an_incident_for_an_unknown_elder_waits_for_the_elders_record(client, visits):
    incident = incident_event(visits, "adm-1", "e-new", "hospitalised", NOW - 2 * HOUR)
    assert handle(visits, incident) is True
    assert obligation(client, "incident:adm-1").status_code == 404
    assert visits.incidents.get("incident:adm-1").status == "waiting"
    assert handle(visits, incident) is False  # redelivered: still one waiting incident

    register(visits, "e-new")
    opened = obligation(client, "incident:adm-1").json
    assert opened["due_at"] == (NOW - 2 * HOUR + 72 * HOUR).isoformat()
    assert visits.incidents.get("incident:adm-1").status == "opened"
    assert handle(visits, incident) is False  # and once opened, never twice


def test_an_incident_waiting_for_an_elder_who_died_is_dismissed(client, visits):
    handle(visits, incident_event(visits, "adm-2", "e-gone", "hardship", NOW))
    handle(
        visits,
        death(visits, "e-gone", 3, date(2026, 11, 28), "registry"),
    )
    assert visits.incidents.get("incident:adm-2").status == "dismissed"
    assert obligation(client, "incident:adm-2").status_code == 404


def test_a_move_opens_a_moving_house_visit_and_takes_open_work_to_the_new_community(client, visits):
    for community, worker in (("xinhua", "wang"), ("dongfeng", "zhao")):
        body = {"worker": worker, "head": "li"}
        client.put(f"/config/communities/{community}", json=body, headers=ADMIN)
    register(visits, "e-1")
    handle(visits, incident_event(visits, "i-1", "e-1", "worries", NOW))
    assert obligation(client, "incident:i-1").json["assignee"] == "wang"

    moved = move_to_dongfeng(visits, "e-1")
    assert handle(visits, moved) is True
    moving = obligation(client, f"moved:{moved.id}").json
    assert (moving["trigger"], moving["community"], moving["assignee"]) == (
        "moving_house",
        "dongfeng",
        "zhao",
    )
    assert moving["due_at"] == "2026-12-04T16:00:00+00:00"  # 28 Nov 00:00 local + 7 days
    taken_along = obligation(client, "incident:i-1").json
    assert (taken_along["community"], taken_along["assignee"]) == ("dongfeng", "zhao")
    assert pending_events(visits, "obligations", "incident:i-1")[-1] == "obligation.reassigned"
    assert handle(visits, moved) is False  # redelivered: nothing new


def test_a_death_cancels_open_work_and_ends_pairings_but_keeps_history(client, visits):
    register(visits, "e-1")
    handle(visits, incident_event(visits, "i-1", "e-1", "hospitalised", NOW - HOUR))
    handle(visits, incident_event(visits, "i-2", "e-1", "hardship", NOW - HOUR))
    visit = {
        "elder_id": "e-1",
        "visited_at": NOW.isoformat(),
        "kind": "hospital",
        "meets": ["incident:i-1"],
    }
    assert client.post("/visits", json=visit, headers=VISITOR).status_code == 201
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

    died = death(visits, "e-1", 2, date(2026, 11, 29), "death-registry")
    assert handle(visits, died) is True
    assert obligation(client, "incident:i-1").json["status"] == "met"  # history stays
    cancelled = obligation(client, "incident:i-2").json
    assert (cancelled["status"], cancelled["cancelled_reason"]) == ("cancelled", "deceased")
    assert pending_events(visits, "obligations", "incident:i-2")[-1] == "obligation.cancelled"
    assert pending_events(visits, "pairings", pairing["pairing_id"]) == [
        "pairing.started",
        "pairing.ended",
    ]
    ended = client.get(f"/pairings/{pairing['pairing_id']}", headers=HEAD).json
    assert (ended["status"], ended["end_reason"], ended["ended_on"]) == (
        "ended",
        "deceased",
        "2026-11-29",
    )
    assert handle(visits, died) is False  # redelivered: nothing left to do
    late = incident_event(visits, "i-3", "e-1", "worries", NOW)
    assert handle(visits, late) is True  # kept, dismissed, in case the death is revoked
    assert obligation(client, "incident:i-3").status_code == 404  # no new work
    assert visits.incidents.get("incident:i-3").reason == "deceased"
    assert handle(visits, late) is False
    refused = client.post(
        "/obligations", json={"elder_id": "e-1", "trigger": "worries"}, headers=VISITOR
    )
    assert refused.status_code == 422 and "deceased" in refused.json["detail"]


def test_work_opened_while_a_death_was_applied_is_cancelled_once_stored(client, visits):
    """The routine schedule (or a clerk) read the elder as active and opens work; the death is
    applied, and the open work closed, before that work is stored. Storing it looks again."""
    register(visits, "e-1")
    read_before = visits.elders.get("e-1")
    died = death(visits, "e-1", 2, date(2026, 11, 29), "death-registry")
    assert handle(visits, died) is True  # nothing was open yet
    late = reported("i-9", "e-1", "hospitalised", NOW, "city-hospital")
    assert open_for_incident(visits, late, read_before) is True
    stored = obligation(client, "incident:i-9").json
    assert (stored["status"], stored["cancelled_reason"]) == ("cancelled", "deceased")
    assert pending_events(visits, "obligations", "incident:i-9") == [
        "obligation.created",
        "obligation.cancelled",
    ]


def test_work_opened_while_a_move_was_applied_follows_the_elder(client, visits):
    configure(client, "xinhua", "wang")
    configure(client, "dongfeng", "zhao")
    register(visits, "e-1")
    read_before = visits.elders.get("e-1")  # community xinhua
    moved = move_to_dongfeng(visits, "e-1")
    assert handle(visits, moved) is True
    late = reported("i-8", "e-1", "worries", NOW, "hotline")
    assert open_for_incident(visits, late, read_before) is True
    stored = obligation(client, "incident:i-8").json
    assert (stored["status"], stored["community"], stored["assignee"]) == (
        "open",
        "dongfeng",
        "zhao",
    )


def test_a_move_to_a_new_home_in_the_same_community_opens_a_moving_house_visit(client, visits):
    register(visits, "e-rehoused")
    fields = {"from_community": "xinhua", "to_community": "xinhua", "address": "新华路30号"}
    moved = elder_event(
        visits,
        "elder.moved",
        "e-rehoused",
        2,
        community="xinhua",
        moved_on=date(2026, 11, 28),
        **fields,
    )
    assert handle(visits, moved) is True
    visit = obligation(client, f"moved:{moved.id}").json
    assert (visit["trigger"], visit["community"], visit["status"]) == (
        "moving_house",
        "xinhua",
        "open",
    )
    contact = new_event(
        "elder.contact_changed",
        "e-rehoused",
        {"elder_id": "e-rehoused", "version": 2, "address": "新华路30号", "phone": None},
        source="urn:test:intake",
        district=visits.settings.district,
        at=NOW,
    )
    assert handle(visits, contact) is True
    assert handle(visits, contact) is False  # delivered again: nothing new
    assert client.get("/elders/e-rehoused", headers=HEAD).json["address"] == "新华路30号"
