"""Visits' list of elders masks their phones; one elder's record, where a visitor or head
reads whom to call, has the phone whole."""

from test_visits_support import HEAD, NOW, VISITOR, handle, register

from shared.events import new_event

pytest_plugins = ["test_visits_support"]  # the fixtures `visits` and `client`


def test_the_list_of_elders_masks_phones_and_one_elder_has_it_whole(client, visits):
    register(visits, "e-1")
    contact = {"elder_id": "e-1", "version": 1, "address": "新华路12号", "phone": "13812345678"}
    changed = new_event(
        "elder.contact_changed",
        "e-1",
        contact,
        source="urn:test:intake",
        district=visits.settings.district,
        at=NOW,
    )
    assert handle(visits, changed) is True
    for reader in (VISITOR, HEAD):
        listed = client.get("/elders", query_string={"elder_id": "e-1"}, headers=reader).json
        assert [(e["phone"], e["address"]) for e in listed["items"]] == [
            ("138****5678", "新华路12号")
        ]
        assert client.get("/elders/e-1", headers=reader).json["phone"] == "13812345678"
