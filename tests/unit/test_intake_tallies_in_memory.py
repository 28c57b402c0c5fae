"""Lists and statistics read the same from the register's tallies as from the register itself:
the tallies are settled on every write and counted whole by a rebuild, here on stores in
memory (the same on the real store: tests/integration/test_intake_tallies.py)."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from memory_intake import memory_intake

from services.intake.domain.district import Community
from services.intake.domain.elder import Circumstances, Registration
from services.intake.domain.national_id import check_character
from services.intake.service_layer import changes, queries
from services.intake.service_layer.container import Intake
from services.intake.service_layer.registration import register_elder
from shared.audit import Actor

NOW = datetime(2026, 11, 29, 2, tzinfo=UTC)
CLERK = Actor("clerk", "test")
COMMUNITIES = (Community("c01", "一社区"), Community("c02", "二社区"))
FILTERS = [
    {},
    {"community": "c01"},
    {"community": "c02", "low_income": True},
    {"age_band": "80-89"},
    {"household_type": "living_alone"},
    {"status": "deceased"},
]


def registration(n: int, born: date, community: str, **circumstances) -> Registration:
    first17 = f"330281{born:%Y%m%d}{n:03d}"
    return Registration(
        national_id=first17 + check_character(first17),
        name=f"王{n}",
        sex="male" if n % 2 else "female",
        birth_date=born,
        community=community,
        address=f"新华路{n}号",
        circumstances=replace(Circumstances(), **circumstances),
    )


@pytest.fixture
def intake() -> Intake:
    intake = memory_intake(NOW, COMMUNITIES)
    register_elder(intake, registration(1, date(1944, 3, 7), "c01"), CLERK)
    register_elder(intake, registration(2, date(1938, 5, 1), "c01", low_income=True), CLERK)
    register_elder(intake, registration(3, date(1940, 1, 9), "c02", low_income=True), CLERK)
    alone = registration(4, date(1931, 7, 2), "c02", household_type="living_alone")
    register_elder(intake, alone, CLERK)
    register_elder(intake, registration(5, date(1960, 2, 2), "c02"), CLERK)
    return intake


def elder_of(intake: Intake, n: int, born: date, community: str) -> str:
    found = intake.elders.by_national_id(registration(n, born, community).national_id)
    assert found is not None
    return found.elder_id


def figures(intake: Intake) -> list[object]:
    window = queries.Window(limit=2)
    pages = [queries.listed(intake, dict(f), window) for f in FILTERS]
    return [(p.items, p.total, p.more_after) for p in pages] + [queries.statistics(intake)]


def test_the_tallies_answer_as_the_register_does_once_built_and_after_each_change(intake):
    from_register = figures(intake)
    assert not intake.elders.tallies.built()
    assert intake.elders.rebuild_tallies() == 5
    assert intake.elders.tallies.built()
    assert figures(intake) == from_register
    assert [total for _, total, _ in from_register[:6]] == [5, 2, 1, 3, 1, 0]

    dies = elder_of(intake, 3, date(1940, 1, 9), "c02")
    changes.record_death(intake, dies, 1, CLERK, date(2026, 11, 20), reported_by="家属")
    alone = elder_of(intake, 1, date(1944, 3, 7), "c01")
    now_alone = {"circumstances": {"household_type": "living_alone"}}
    changes.update_elder(intake, alone, 1, CLERK, now_alone)
    settled = figures(intake)
    assert [total for _, total, _ in settled[:6]] == [5, 2, 1, 3, 2, 1]

    intake.elders.forget_tallies()  # type: ignore[attr-defined]
    assert figures(intake) == settled, "the register's own queries agree"


def test_once_built_a_list_reads_no_elder(intake, monkeypatch):
    intake.elders.rebuild_tallies()

    def read_the_register(*_args, **_kwargs):
        raise AssertionError("a list the tallies answer must not read the register")

    for method in ("search", "after", "count", "by_ids", "scan"):
        monkeypatch.setattr(intake.elders, method, read_the_register)
    page = queries.listed(intake, {"community": "c01", "low_income": True}, queries.Window(20))
    assert [(i["name"], i["age"], i["community"]) for i in page.items] == [("王2", 88, "c01")]
    assert page.items[0]["national_id"].count("*") > 0
    assert queries.statistics(intake)["district"]["elders"] == 5
