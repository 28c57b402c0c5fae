"""A hotline call resolved by intake (`help.requested`) becomes a help request in visits."""

from datetime import timedelta

from test_visits_support import NOW, VISITOR, client, elder_event, handle, visits  # noqa: F401

from shared.events import new_event


def help_requested(visits, request_id, elder_id, urgency="urgent"):  # noqa: F811
    data = {
        "request_id": request_id,
        "elder_id": elder_id,
        "channel": "love_umbrella",
        "urgency": urgency,
        "occurred_at": NOW,
        "reported_by": "urn:hotline:12345",
        "note": "爱心伞 hung out at 3-201",
    }
    return new_event(
        "help.requested",
        elder_id,
        data,
        source="urn:test:intake",
        district=visits.settings.district,
        at=NOW,
    )


def test_a_call_becomes_one_help_request_with_a_response_deadline(client, visits):  # noqa: F811
    assert handle(visits, elder_event(visits, "elder.registered", "e-help", community="c01"))
    call = help_requested(visits, "call-1", "e-help")
    assert handle(visits, call) is True
    assert handle(visits, call) is False  # the same call delivered again
    listed = client.get("/help-requests?community=c01", headers=VISITOR).json
    assert listed["total"] == 1
    request = listed["items"][0]
    assert request["channel"] == "love_umbrella" and request["urgency"] == "urgent"
    assert request["description"] == "爱心伞 hung out at 3-201"
    assert request["respond_by"] > NOW.isoformat()


def test_a_call_before_the_elder_is_known_waits_for_the_elder(client, visits):  # noqa: F811
    # The elder's registration comes on another topic and may be read after the call.
    call = help_requested(visits, "call-early", "e-later")
    assert handle(visits, call) is True  # kept, not refused (it was dead-lettered before)
    assert client.get("/help-requests/call-early", headers=VISITOR).status_code == 404
    assert handle(visits, call) is False  # delivered again while waiting: nothing new

    assert handle(visits, elder_event(visits, "elder.registered", "e-later", community="c01"))
    request = client.get("/help-requests/call-early", headers=VISITOR).json
    assert (request["elder_id"], request["community"]) == ("e-later", "c01")
    assert handle(visits, call) is False  # and once received, still one request
    assert visits.waiting_calls.get("call-early").status == "received"


def test_a_waiting_call_for_an_elder_no_longer_served_is_dismissed(client, visits):  # noqa: F811
    assert handle(visits, help_requested(visits, "call-late", "e-gone")) is True
    died = elder_event(
        visits,
        "elder.deceased",
        "e-gone",
        2,
        status="deceased",
        died_on=NOW.date(),
        reported_by="death-registry",
    )
    assert handle(visits, died)
    assert visits.waiting_calls.get("call-late").status == "dismissed"
    assert client.get("/help-requests/call-late", headers=VISITOR).status_code == 404


def test_a_kept_call_that_breaks_a_rule_is_refused_and_the_elder_carries_on(client, visits):  # noqa: F811
    """When one event about an elder fails, the elder's later events must not fail with it."""
    future = help_requested(visits, "call-future", "e-carry-on")
    future.data["occurred_at"] = (NOW + timedelta(days=2)).isoformat()
    assert handle(visits, future) is True  # kept: the elder is not known yet

    assert handle(visits, elder_event(visits, "elder.registered", "e-carry-on", community="c01"))
    kept = visits.waiting_calls.get("call-future")
    assert (kept.status, kept.reason) == ("refused", "reported_at is in the future")
    assert client.get("/help-requests/call-future", headers=VISITOR).status_code == 404

    later = help_requested(visits, "call-next", "e-carry-on", urgency="low")
    assert handle(visits, later) is True
    updated = elder_event(visits, "elder.updated", "e-carry-on", 2, changed=["address"])
    assert handle(visits, updated) is True  # the refused call is not tried again
    assert client.get("/help-requests/call-next", headers=VISITOR).json["urgency"] == "low"
