"""Visits' list of elders, limited to the elders named: a worklist shows the names and
addresses of all its elders with one call, within the caller's community."""

from test_visits_support import DONGFENG_VISITOR, VISITOR, register

pytest_plugins = ["test_visits_support"]  # the fixtures `visits` and `client`


def test_only_the_elders_named_are_listed(client, visits):
    for elder_id in ("e-1", "e-2", "e-3"):
        register(visits, elder_id)
    register(visits, "e-9", community="dongfeng")
    named = client.get(
        "/elders", query_string=[("elder_id", "e-3"), ("elder_id", "e-1")], headers=VISITOR
    )
    assert named.status_code == 200, named.json
    assert [e["elder_id"] for e in named.json["items"]] == ["e-1", "e-3"]
    assert named.json["total"] == 2

    # A visitor of one community does not learn of another's elder by naming it.
    scoped = client.get(
        "/elders", query_string=[("elder_id", "e-1"), ("elder_id", "e-9")], headers=DONGFENG_VISITOR
    )
    assert [e["elder_id"] for e in scoped.json["items"]] == ["e-9"]


def test_at_most_a_page_of_elders_is_named(client, visits):
    too_many = [("elder_id", f"e-{n}") for n in range(101)]
    refused = client.get("/elders", query_string=too_many, headers=VISITOR)
    assert refused.status_code == 422, refused.json
