"""Visits' list of elders masks their phones; one elder's record, where a visitor or head
reads whom to call, has the phone whole."""

from test_visits_support import HEAD, NOW, VISITOR, configure, handle, register, report

from shared.events import new_event

pytest_plugins = ["test_visits_support"]  # the fixtures `visits` and `client`


def test_the_list_of_elders_masks_phones_and_one_elder_has_it_whole(client, visits):
    register(visits, "e-1")
    with_contact(visits, "e-1")
    for reader in (VISITOR, HEAD):
        listed = client.get("/elders", query_string={"elder_id": "e-1"}, headers=reader).json
        assert [(e["phone"], e["address"]) for e in listed["items"]] == [
            ("138****5678", "新华路12号")
        ]
        assert client.get("/elders/e-1", headers=reader).json["phone"] == "13812345678"


def test_a_worklist_reads_its_obligations_with_their_elders_in_one_call(client, visits):
    register(visits, "e-1", name="王秀英")
    with_contact(visits, "e-1")
    configure(client)
    assert report(client).status_code == 201

    plain = client.get("/obligations", headers=VISITOR).json["items"]
    assert "elder" not in plain[0]
    listed = client.get("/obligations", query_string={"with_elder": "true"}, headers=VISITOR).json
    elder = listed["items"][0]["elder"]
    assert (elder["elder_id"], elder["name"], elder["address"]) == ("e-1", "王秀英", "新华路12号")
    assert elder["phone"] == "138****5678", "masked, as the list of elders shows it"


def with_contact(visits, elder_id: str) -> None:
    """The elder's address and phone, as intake's contact event brings them."""
    contact = {"elder_id": elder_id, "version": 1, "address": "新华路12号", "phone": "13812345678"}
    changed = new_event(
        "elder.contact_changed",
        elder_id,
        contact,
        source="urn:test:intake",
        district=visits.settings.district,
        at=NOW,
    )
    assert handle(visits, changed) is True
