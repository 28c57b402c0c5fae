"""Households on the real store and broker: a couple registered through the API, a death
reported, intake's worker following its own elder events, and what it publishes."""

import json
import time
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from staff import add_staff, staff_headers

from services.allowances.bootstrap import bootstrap as bootstrap_allowances
from services.allowances.bootstrap import worker as allowances_worker
from services.allowances.entrypoints.app import create_app as create_allowances_app
from services.intake.bootstrap import STORES, bootstrap, worker
from services.intake.domain.district import Community
from services.intake.domain.national_id import check_character
from services.intake.entrypoints.app import create_app
from services.intake.service_layer.district import configure_communities
from shared.clock import FixedClock
from shared.events import Topics
from shared.kafka import ensure_topics, make_producer
from shared.outbox import OutboxRelay
from shared.store_specs import outbox_collections

NOW = datetime(2026, 12, 5, 2, tzinfo=UTC)
STAFF_TOKENS = "clerk:clerk:intake_clerk,head:head:community_head@c01"
HEADERS = staff_headers(STAFF_TOKENS)


def national_id(born: date, sequence: int) -> str:
    first17 = f"330281{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


@pytest.fixture
def intake(settings):
    # named intake: the consumer accepts elder events only from their one producer
    service = bootstrap(replace(settings, service="intake"), FixedClock(NOW))
    configure_communities(service, [Community("c01", "一"), Community("c02", "二")])
    add_staff(service, STAFF_TOKENS)
    ensure_topics(
        service.settings,
        [
            Topics.ELDERS,
            Topics.CONTACTS,
            Topics.INCIDENTS,
            Topics.HOUSEHOLDS,
            Topics.dead_letter(service.settings.service),
        ],
    )
    yield service
    service.db.client.drop_database(service.db.name)


@pytest.fixture
def client(intake):
    return create_app(intake).test_client()


def registered(client, sequence: int, address: str, **more) -> dict:
    born = date(1948, 5, 1)
    body = {
        "national_id": national_id(born, sequence),
        "name": f"王{sequence}",
        "sex": "male" if sequence % 2 else "female",
        "birth_date": born.isoformat(),
        "community": "c01",
        "address": address,
        **more,
    }
    answer = client.post("/elders", json=body, headers=HEADERS["clerk"])
    assert answer.status_code == 201, answer.json
    return answer.json


def relay(intake) -> int:
    producer = make_producer(intake.settings)
    published = OutboxRelay(
        intake.settings.service, intake.db, outbox_collections(STORES), producer
    ).run_once()
    producer.close()
    return published


def follow(intake, key: bytes, count: int, timeout: float = 60) -> list[str]:
    """Run intake's consumer of its own elder events until `count` keyed `key` are handled
    (a registration and its household's type come before a death: they ask nothing of it)."""
    producer = make_producer(intake.settings)
    loop = worker(intake).consumer(producer, [Topics.ELDERS], retries=1, backoff_seconds=0.01)
    outcomes: list[str] = []
    deadline = time.monotonic() + timeout
    while len(outcomes) < count and time.monotonic() < deadline:
        outcomes += [o for m, o in loop.run_once(timeout_ms=200) if m.key == key]
    loop.consumer.close()
    producer.close()
    return outcomes


def test_a_death_turns_the_spouse_into_an_elder_living_alone_with_one_must_visit(
    intake, client, topic_reader
):
    husband = registered(client, 1, "新华路12号3-201")
    wife = registered(client, 2, "新华路 12号 3-201室", household_members=[
        {"name": "王1", "relation": "老伴"},
    ])  # fmt: skip
    home = client.get(f"/elders/{wife['elder_id']}/household", headers=HEADERS["head"])
    assert home.status_code == 200, home.json
    assert home.json["household_type"] == "empty_nest" and home.json["persons"] == 2
    assert {e["elder_id"] for e in home.json["elders"]} == {husband["elder_id"], wife["elder_id"]}
    figures = client.get("/statistics", headers=HEADERS["clerk"]).json["district"]
    assert figures["households"]["empty_nest"] == {"households": 1, "elders": 2, "persons": 2}
    assert figures["household_types"]["empty_nest"] == 2

    current = client.get(f"/elders/{husband['elder_id']}", headers=HEADERS["clerk"]).json
    died = client.post(
        f"/elders/{husband['elder_id']}/death",
        json={"version": current["version"], "died_on": "2026-12-03"},
        headers=HEADERS["clerk"],
    )
    assert died.status_code == 200, died.json
    assert relay(intake) > 0
    # registered (nothing to do), its household's type followed (no address changed), died
    assert follow(intake, husband["elder_id"].encode(), 3) == ["ignored", "duplicate", "applied"]

    home = client.get(f"/elders/{wife['elder_id']}/household", headers=HEADERS["head"]).json
    assert home["household_type"] == "living_alone" and home["type_source"] == "rules"
    assert home["departures"] == [
        {"elder_id": husband["elder_id"], "reason": "died", "on": "2026-12-03"}
    ]
    survivor = client.get(f"/elders/{wife['elder_id']}", headers=HEADERS["clerk"]).json
    assert survivor["circumstances"]["household_type"] == "living_alone"
    assert "living_alone" in survivor["key_target_reasons"]
    figures = client.get("/statistics", headers=HEADERS["clerk"]).json["district"]
    assert figures["households"]["empty_nest"]["households"] == 0
    assert figures["households"]["living_alone"] == {"households": 1, "elders": 1, "persons": 1}

    assert relay(intake) > 0
    incidents = [
        json.loads(r.value)
        for r in topic_reader(Topics.INCIDENTS)
        if r.key == wife["elder_id"].encode()
    ]
    assert [(i["type"], i["data"]["trigger"]) for i in incidents] == [
        ("incident.reported", "family_accident")
    ]
    changed = [
        json.loads(r.value)["data"]
        for r in topic_reader(Topics.HOUSEHOLDS)
        if r.key == home["household_id"].encode()
    ]
    assert [c.get("departure") for c in changed] == [None, None, "died"]  # formed, joined, left
    assert all("新华路" not in json.dumps(c) for c in changed), "no address on the topic"


def test_the_same_death_twice_raises_the_must_visit_once(intake, client, topic_reader):
    first = registered(client, 3, "解放路5号")
    second = registered(client, 4, "解放路5号")
    current = client.get(f"/elders/{first['elder_id']}", headers=HEADERS["clerk"]).json
    client.post(
        f"/elders/{first['elder_id']}/death",
        json={"version": current["version"], "died_on": "2026-12-01"},
        headers=HEADERS["clerk"],
    )
    relay(intake)
    assert follow(intake, first["elder_id"].encode(), 3)[-1] == "applied"
    relay(intake)
    # The broker delivers the death again (a rebalance, a rewound offset): nothing more.
    [death] = [r for r in topic_reader(Topics.ELDERS) if r.key == first["elder_id"].encode()][-1:]
    producer = make_producer(intake.settings)
    producer.send(Topics.ELDERS, key=death.key, value=death.value).get(timeout=30)
    producer.close()
    follow(intake, first["elder_id"].encode(), 1)
    assert relay(intake) == 0
    incidents = [r for r in topic_reader(Topics.INCIDENTS) if r.key == second["elder_id"].encode()]
    assert len(incidents) == 1


def test_a_survey_is_grouped_into_households_and_its_doubts_listed(intake, client):
    header = "身份证号,姓名,性别,出生日期,社区,地址,户号,户型\n"
    born = date(1950, 2, 3)
    rows = [
        (11, "一路1号", "H-1", "空巢"),
        (12, "一路1号", "H-1", "空巢"),
        (13, "二路2号", "", "独居"),
        (14, "二路 2 号", "", "独居"),
        (15, "幸福村", "", ""),
        (16, "三路3号", "H-3", "与家人同住"),
    ]
    text = header + "".join(
        f"{national_id(born, n)},李{n},{'男' if n % 2 else '女'},{born},c01,{a},{h},{t}\n"
        for n, a, h, t in rows
    )
    answer = client.post(
        "/imports",
        data=text.encode(),
        headers={**HEADERS["clerk"], "Content-Type": "text/csv"},
    )
    assert answer.status_code == 200, answer.json
    grouping = answer.json["households"]
    assert (grouping["placed"], grouping["households_formed"]) == (6, 4)
    # the file's rows 4 and 5 say 独居 for two elders of one home: the rules say empty-nest;
    # row 6's address names no door
    assert sorted(a["rows"] for a in grouping["ambiguous"]) == [[4, 5], [6]]
    listed = client.get("/households?community=c01&page_size=50", headers=HEADERS["head"]).json
    assert listed["total"] == 4
    types = sorted(h["household_type"] for h in listed["items"])
    assert types == ["empty_nest", "empty_nest", "unknown", "with_family"]
    by_hand = client.get("/households?type_source=by_hand", headers=HEADERS["clerk"]).json
    assert [h["household_number"] for h in by_hand["items"]] == ["H-3"]


def imported(client, rows: list[tuple[int, str, str, str]]) -> dict:
    """A survey of c01 with a building column (楼栋): its households' report."""
    born = date(1949, 4, 5)
    text = "身份证号,姓名,性别,出生日期,社区,地址,户号,楼栋\n" + "".join(
        f"{national_id(born, n)},张{n},{'男' if n % 2 else '女'},{born},c01,{a},{h},{b}\n"
        for n, a, h, b in rows
    )
    headers = {**HEADERS["clerk"], "Content-Type": "text/csv"}
    answer = client.post("/imports", data=text.encode(), headers=headers)
    assert answer.status_code == 200, answer.json
    return answer.json["households"]


def test_a_survey_names_the_building_or_courtyard_its_households_live_in(intake, client):
    cells = {}
    for kind, name in (("building", "1号楼"), ("courtyard", "东院"), ("group", "一组")):
        body = {"community": "c01", "kind": kind, "name": name}
        answer = client.post("/grid", json=body, headers=HEADERS["head"])
        assert answer.status_code == 201, answer.json
        cells[name] = answer.json["cell_id"]
    grouping = imported(
        client,
        [
            (21, "四路4号1-101", "H-21", "1号楼"),
            (22, "四路4号1-101", "H-21", "1号楼"),
            (23, "五路5号", "", "东院"),
            (24, "六路6号", "", "9号楼"),  # the grid has no such building
            (25, "七路7号", "H-25", "1号楼"),
            (26, "七路7号", "H-25", "东院"),  # one household, two buildings named
            (27, "八路8号", "", "一组"),  # a resident group holds no households
            (28, "九路9号", "", ""),
        ],
    )
    assert (grouping["placed"], grouping["households_formed"]) == (8, 6)
    doubts = {tuple(a["rows"]): a["reason"] for a in grouping["ambiguous"]}
    assert set(doubts) == {(5,), (6, 7), (8,)}, doubts
    assert "no building or courtyard named '9号楼'" in doubts[(5,)]
    assert "different buildings (1号楼, 东院)" in doubts[(6, 7)]
    assert "named '一组'" in doubts[(8,)]

    def cell_of(address: str) -> str | None:
        found = client.get(
            "/households",
            query_string={"community": "c01", "page_size": 50},
            headers=HEADERS["head"],
        ).json["items"]
        [home] = [h for h in found if h["address"] == address]
        return home["cell_id"]

    assert cell_of("四路4号1-101") == cells["1号楼"]
    assert cell_of("五路5号") == cells["东院"]
    assert [cell_of(a) for a in ("六路6号", "七路7号", "八路8号", "九路9号")] == [None] * 4

    # a later row that names the building places the household it joins, placed in none
    later = imported(client, [(29, "六路6号", "", "1号楼")])
    assert (later["households_joined"], later["ambiguous"]) == (1, [])
    assert cell_of("六路6号") == cells["1号楼"]
    covered = client.get("/grid/coverage?community=c01", headers=HEADERS["head"]).json
    in_building = [c for c in covered["cells"] if c.get("cell_id") == cells["1号楼"]]
    assert in_building and in_building[0]["coverage"]["households"] == 2, covered


def test_a_home_care_household_reaches_the_voucher_report_as_one_household_of_two(
    intake, client, settings, topic_reader
):
    """Enrolled on the record of one of a couple: the household is, both elders follow, and
    allowances, reading intake's topics, counts one household (户) of two persons."""
    husband = registered(client, 5, "和平路8号1-101", circumstances={"home_care": True})
    wife = registered(client, 6, "和平路8号1-101")
    home = client.get(f"/elders/{wife['elder_id']}/household", headers=HEADERS["clerk"]).json
    assert home["home_care"]["since"] == "2026-12-05"
    assert wife["circumstances"]["home_care"] is True  # written enrolled: the household's
    listed = client.get("/households?home_care=true", headers=HEADERS["clerk"]).json
    assert [h["household_id"] for h in listed["items"]] == [home["household_id"]]
    figures = client.get("/statistics", headers=HEADERS["clerk"]).json["district"]
    assert figures["households"]["home_care"] == {"households": 1, "elders": 2, "persons": 2}
    assert figures["home_care"] == 2
    assert relay(intake) > 0

    # allowances' worker reads what intake published, copied in order onto a topic of this
    # test's own (the shared topics hold every other test's events before these)
    allowances = bootstrap_allowances(
        replace(settings, service=f"{settings.service}a", mongo_db=f"{settings.mongo_db}_a"),
        FixedClock(NOW),
    )
    own = f"eldercare.test.intake.{allowances.settings.service}"
    ensure_topics(allowances.settings, [own, Topics.dead_letter(allowances.settings.service)])
    keys = {husband["elder_id"].encode(), wife["elder_id"].encode()}
    records = [
        *(r for r in topic_reader(Topics.ELDERS) if r.key in keys),
        *(r for r in topic_reader(Topics.HOUSEHOLDS) if r.key == home["household_id"].encode()),
    ]
    producer = make_producer(allowances.settings)
    for record in records:
        producer.send(own, key=record.key, value=record.value).get(timeout=30)
    loop = allowances_worker(allowances).consumer(producer, [own], retries=1, backoff_seconds=0.01)
    handled: list[str] = []
    deadline = time.monotonic() + 60
    while len(handled) < len(records) and time.monotonic() < deadline:
        handled += [outcome for _, outcome in loop.run_once(timeout_ms=200)]
    loop.consumer.close()
    producer.close()
    try:
        assert len(handled) == len(records) and "dead_lettered" not in handled, handled
        assert allowances.households.get(home["household_id"]).home_care
        officer = staff_headers("officer:officer:allowance_officer")["officer"]
        desk = create_allowances_app(allowances).test_client()
        body = {"programme": "home_care_voucher", "month": "2026-12"}
        assert desk.post("/cycles", json=body, headers=officer).status_code == 201
        report = desk.get("/reports/home-care/2026-12", headers=officer).json["district"]
        assert (report["households_end"], report["enrolled_end"]) == (1, 2)
    finally:
        allowances.db.client.drop_database(allowances.db.name)
