"""The register's tallies against the real store: list totals and the district's statistics
are counted from them, and stay what a count of the register gives across every kind of
change, a change whose process stopped before its tally was settled, and a rebuild; the
elders' lists page by cursor."""

from datetime import UTC, date, datetime

import pytest
from intake_under_test import intake_under_test
from test_intake_api import ADMIN, CLERK, TOKENS, national_id, register

from services.intake.adapters.elder_store import TALLIED
from services.intake.domain.district import Community
from services.intake.domain.statistics import district_statistics
from services.intake.entrypoints import demo_district
from services.intake.entrypoints.app import create_app
from services.intake.service_layer import queries
from shared.clock import local_today
from shared.events import Topics
from shared.kafka import ensure_topics, make_producer
from shared.outbox import FLAG, OutboxRelay, Settling

FILTERS = [
    {},
    {"community": "c01"},
    {"community": "c02"},
    {"community": "c01", "status": "active"},
    {"community": "c02", "status": "active"},
    {"status": "deceased"},
    {"status": "moved_out"},
    {"community": "c01", "key_target": True},
    {"community": "c02", "key_target_reason": "living_alone"},
    {"community": "c01", "household_type": "empty_nest"},
    {"low_income": True},
    {"community": "c02", "age_band": "80-89"},
    {"age_band": "60-69"},
    {"card": "any"},
    {"community": "c01", "card": "none"},
]


@pytest.fixture
def intake(settings):
    communities = [Community(**c) for c in demo_district.communities()]
    with intake_under_test(
        settings, datetime(2026, 11, 29, 2, tzinfo=UTC), communities, TOKENS
    ) as service:
        yield service


@pytest.fixture
def client(intake):
    return create_app(intake).test_client()


def assert_counted_exactly(client, intake):
    """Every total and the statistics as the tallies give them equal a count of the register."""
    assert intake.elders.tallies.built()
    for filters in FILTERS:
        answer = client.get("/elders", query_string=filters, headers=CLERK)
        assert answer.status_code == 200, answer.json
        counted = intake.elders.count(queries.search_query(intake, filters))
        assert answer.json["total"] == counted, filters
    today = local_today(intake.clock, intake.settings.zone)
    scanned = district_statistics(
        intake.elders.scan({"status": "active"}, queries.STATISTICS_FIELDS), today
    )
    answer = client.get("/statistics", headers=CLERK).json
    for tally in (answer["district"], *answer["communities"]):
        tally.pop("households")  # counted from the households, not the elders' tallies
    assert answer == client_json(scanned)


def client_json(statistics):
    return {**statistics, "as_of": statistics["as_of"].isoformat()}


def test_totals_and_statistics_stay_exact_across_every_kind_of_change(client, intake):
    rows, _ = demo_district.survey(local_today(intake.clock, intake.settings.zone), elders=120)
    imported = client.post(
        "/imports", data=demo_district.as_csv(rows), headers=CLERK, content_type="text/csv"
    ).json
    assert imported["imported"] == 120
    again = client.post(
        "/imports", data=demo_district.as_csv(rows), headers=CLERK, content_type="text/csv"
    ).json
    assert (again["imported"], again["unchanged"]) == (0, 120)
    assert_counted_exactly(client, intake)

    alone = register(client, sequence=4, circumstances={"household_type": "living_alone"})
    old = register(client, born=date(1940, 5, 1), sequence=6, community="c02")
    mover = register(client, sequence=8, circumstances={"low_income": True})
    before = client.get("/elders?community=c01", headers=CLERK).json["total"]
    assert_counted_exactly(client, intake)

    def post(elder, path, body, headers=CLERK):
        answer = client.post(f"/elders/{elder['elder_id']}{path}", json=body, headers=headers)
        assert answer.status_code == 200, answer.json
        return answer.json

    alone = post(alone, "/death", {"version": 1, "died_on": "2026-11-01"})
    assert_counted_exactly(client, intake)
    alone = post(alone, "/death/revocation", {"version": 2, "reason": "错报"}, ADMIN)
    mover = post(mover, "/moves", {"version": 1, "moved_on": "2026-11-02", "to_community": "c02"})
    assert client.get("/elders?community=c01", headers=CLERK).json["total"] == before - 1
    assert_counted_exactly(client, intake)
    mover = post(mover, "/moves", {"version": 2, "moved_on": "2026-11-03"})  # out of the district
    assert_counted_exactly(client, intake)
    mover = post(mover, "/return", {"version": 3, "returned_on": "2026-11-20", "community": "c01"})
    old = post(old, "/card", {"version": 1})
    changed = client.patch(
        f"/elders/{old['elder_id']}",
        json={"version": 2, "circumstances": {"household_type": "living_alone"}},
        headers=CLERK,
    )
    assert changed.status_code == 200, changed.json
    assert_counted_exactly(client, intake)

    # a correction of the birth date moves the elder to another age band
    corrected = national_id(date(1930, 1, 1), 12)
    post(
        alone,
        "/identity-corrections",
        {"version": 3, "national_id": corrected, "sex": "female", "reason": "户籍核对"},
    )
    post(alone, "/identity-corrections/approval", {"version": 4}, ADMIN)
    assert_counted_exactly(client, intake)
    twice = [intake.elders.tallies.members(c) for c in ("c01", "c02")]
    intake.elders.settle([mover["elder_id"], alone["elder_id"], old["elder_id"]])
    again = [intake.elders.tallies.members(c) for c in ("c01", "c02")]
    assert again == twice, "settling again changes nothing"


def test_a_change_left_unsettled_is_settled_by_the_relay_before_it_clears_the_flag(
    client, intake, settings, monkeypatch
):
    elder = register(client)
    assert_counted_exactly(client, intake)
    # the API process stops between storing the change and settling its tally
    with monkeypatch.context() as stopped:
        stopped.setattr(intake.elders.records, "settle", lambda documents: None)
        moved = client.post(
            f"/elders/{elder['elder_id']}/moves",
            json={"version": 1, "moved_on": "2026-11-02", "to_community": "c02"},
            headers=CLERK,
        )
        assert moved.status_code == 200, moved.json
    held = intake.elders.tallies.members("c01")
    assert elder["elder_id"] in held and elder["elder_id"] not in intake.elders.tallies.members(
        "c02"
    )
    assert intake.db["elders"].find_one({"_id": elder["elder_id"]})[FLAG] == "yes"

    ensure_topics(settings, [Topics.ELDERS, "eldercare.intake.contacts"])
    producer = make_producer(settings)
    try:
        relay = OutboxRelay(
            settings.service,
            intake.db,
            ["elders"],
            producer,
            send_timeout=10,
            settling=Settling("elders", TALLIED, intake.elders.tally),
        )
        while relay.publish_hinted():
            pass
        relay.sweep()
    finally:
        producer.close(timeout=5)
    assert FLAG not in intake.db["elders"].find_one({"_id": elder["elder_id"]})
    assert elder["elder_id"] not in intake.elders.tallies.members("c01")
    assert intake.elders.tallies.members("c02")[elder["elder_id"]]["v"] == 2
    assert_counted_exactly(client, intake)


def test_a_register_older_than_its_tallies_is_counted_in_and_a_wrong_entry_put_right(
    client, intake
):
    first = register(client, sequence=2)
    register(client, sequence=4, community="c02")
    for name in ("elder_tallies", "elder_tally_revs", "elder_tally_state"):
        intake.db[name].drop()
    intake.elders.tallies._built = False
    assert not intake.elders.tallies.built()
    answer = client.get("/elders?community=c01", headers=CLERK).json
    assert answer["total"] == 1, "searched in the register until the tallies are built"
    # an entry left behind at an older version, in a community the elder is not in
    wrong = {"_id": first["elder_id"], "community": "c03", "v": 0, "status": "active"}
    intake.db["elder_tallies"].insert_one(wrong)
    assert intake.elders.rebuild_tallies() == 2
    assert first["elder_id"] not in intake.elders.tallies.members("c03")
    assert set(intake.elders.tallies.members("c01")) == {first["elder_id"]}
    assert_counted_exactly(client, intake)
    counted = intake.elders.tallies.members("c01")
    intake.elders.rebuild_tallies()
    assert intake.elders.tallies.members("c01") == counted


def walk(client, query, size, direction="next", start=None):
    """The ids of every page, following the cursors, and the totals the pages gave."""
    ids, totals = [], set()
    arguments = {**query, "page_size": size, **(start or {})}
    while True:
        answer = client.get("/elders", query_string=arguments, headers=CLERK)
        assert answer.status_code == 200, answer.json
        page = answer.json
        assert len(page["items"]) <= size
        shown = [e["elder_id"] for e in page["items"]]
        ids = ids + shown if direction == "next" else shown + ids
        totals.add(page["total"])
        if page[direction] is None:
            return ids, totals, page
        cursor = "after" if direction == "next" else "before"
        arguments = {**query, "page_size": size, cursor: page[direction]}


@pytest.mark.parametrize(
    "query", [{"community": "c01"}, {"name": "翻页"}], ids=["counted", "searched"]
)
def test_lists_page_by_cursor_both_ways_and_by_number(client, intake, query):
    registered = sorted(
        register(client, sequence=2 * n, name="翻页")["elder_id"] for n in range(1, 8)
    )
    register(client, sequence=20, name="别人", community="c02")
    forward, totals, last = walk(client, query, 3)
    assert (forward, totals) == (registered, {7})
    backward, totals, first = walk(client, query, 3, "previous", {"before": last["previous"]})
    assert backward + [e["elder_id"] for e in last["items"]] == registered
    assert first["previous"] is None and first["next"] is not None
    numbered = client.get(
        "/elders", query_string={**query, "page": 3, "page_size": 3}, headers=CLERK
    ).json
    assert ([e["elder_id"] for e in numbered["items"]], numbered["next"]) == (registered[6:], None)
    assert numbered["previous"] is not None


def test_a_cursor_is_checked(client):
    assert client.get("/elders?after=%%%", headers=CLERK).status_code == 422
    both = client.get("/elders?after=YQ&before=Yg", headers=CLERK)
    assert both.status_code == 422 and "before" in both.json["errors"]


LISTED = ("elder_id", "name", "sex", "age", "community", "status", "national_id")


@pytest.mark.parametrize(
    "query", [{"community": "c01"}, {"name": "翻页"}], ids=["counted", "searched"]
)
def test_a_list_as_lists_show_it_gives_the_searchs_pages_field_for_field(
    client, intake, query, monkeypatch
):
    for n in range(1, 6):
        register(client, sequence=2 * n, name="翻页")
    register(client, sequence=20, name="别人", community="c02")

    def not_read(*_args):
        raise AssertionError("the elders' records were read")

    arguments, pages = {**query, "page_size": 2}, 0
    while True:
        if query == {"community": "c01"}:  # answered from the tallies: no elder is read
            monkeypatch.setattr(intake.elders, "by_ids", not_read)
        listed = client.get("/elders/listed", query_string=arguments, headers=CLERK)
        assert listed.status_code == 200, listed.json
        monkeypatch.undo()  # the search reads the records
        searched = client.get("/elders", query_string=arguments, headers=CLERK).json
        shown = [{field: e[field] for field in LISTED} for e in searched["items"]]
        assert listed.json["items"] == shown
        assert "********" in shown[0]["national_id"]  # masked, as in every list
        for key in ("total", "next", "previous"):
            assert listed.json[key] == searched[key], key
        pages += 1
        if searched["next"] is None:
            break
        arguments = {**query, "page_size": 2, "after": searched["next"]}
    assert pages == 3
