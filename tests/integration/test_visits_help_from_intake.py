"""A hotline call resolved by intake (`help.requested`) becomes a help request in visits."""

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
