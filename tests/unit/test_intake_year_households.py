"""The year summary's households by type, counted exactly: empty-nest (空巢) households and
widowed-childless (孤寡) elders in 户 and 人, for the district and for one community, as the
register stands and as it stood at a past year's end."""

from datetime import UTC, date, datetime

import pytest
from memory_intake import memory_intake
from test_intake_use_cases import COMMUNITIES, registration

from services.intake.domain.elder import Circumstances
from services.intake.domain.household import Resident
from services.intake.service_layer import changes, households, reports
from services.intake.service_layer.container import Intake
from services.intake.service_layer.registration import register_elder
from shared.audit import Actor
from shared.clock import FixedClock

NOW = datetime(2026, 12, 5, 2, tzinfo=UTC)
CLERK = Actor("clerk", "test")
WIDOWED_CHILDLESS = Circumstances(
    household_type="widowed_childless", marital_status="widowed", has_children=False
)


@pytest.fixture
def intake() -> Intake:
    return memory_intake(NOW, COMMUNITIES)


def home(intake: Intake, community: str, address: str, *sequences: int) -> list[str]:
    """Elders of the register registered at one address: one household."""
    return [
        register_elder(
            intake, registration(sequence, community=community, address=address), CLERK
        ).elder_id
        for sequence in sequences
    ]


def with_residents(intake: Intake, elder_id: str, *residents: Resident) -> None:
    household = households.household_of(intake, elder_id)
    assert household is not None
    households.set_residents(intake, household.household_id, household.version, list(residents))


def alone(intake: Intake, community: str, sequence: int, circumstances: Circumstances) -> str:
    written = registration(sequence, community=community, circumstances=circumstances)
    return register_elder(intake, written, CLERK).elder_id


def district(intake: Intake) -> dict[str, str]:
    """c01: three empty-nest households (a couple; a couple with an elderly sister; a couple
    with a daughter, which is not one), two widowed-childless elders and one who lives alone;
    c02: one empty-nest household of three elders and one widowed-childless elder."""
    couple = home(intake, "c01", "新华路1号1-101", 10, 11)
    sister = home(intake, "c01", "新华路1号1-102", 12, 13)
    with_residents(intake, sister[0], Resident("李桂兰", "sibling", 1950))
    daughter = home(intake, "c01", "新华路1号1-103", 14, 15)
    with_residents(intake, daughter[0], Resident("王丽", "child", 1975))
    alone(intake, "c01", 16, WIDOWED_CHILDLESS)
    alone(intake, "c01", 17, WIDOWED_CHILDLESS)
    alone(intake, "c01", 18, Circumstances(household_type="living_alone"))  # not widowed
    home(intake, "c02", "解放路9号2-201", 20, 21, 22)
    alone(intake, "c02", 23, WIDOWED_CHILDLESS)
    return {"couple": couple[0], "daughter": daughter[0]}


def counts(summary, kind: str) -> tuple[int, int, int]:
    held = summary.households[kind]
    return held["households"], held["elders"], held["persons"]


def test_the_built_district_is_typed_as_the_rules_say(intake):
    built = district(intake)
    couple = households.household_of(intake, built["couple"])
    daughter = households.household_of(intake, built["daughter"])
    assert couple is not None and couple.household_type == "empty_nest"
    assert daughter is not None and daughter.household_type == "with_family"


def test_empty_nest_and_widowed_childless_households_are_counted_in_hu_and_ren(intake):
    district(intake)
    whole = reports.year_summary(intake, "2026")
    assert whole.elders == 13
    # 户 / elders of the register / 人: 2+2 (couple), 2+1 (couple and sister), 3+0 (c02)
    assert counts(whole, "empty_nest") == (3, 7, 8)
    assert counts(whole, "widowed_childless") == (3, 3, 3)
    assert counts(whole, "living_alone") == (1, 1, 1)
    assert counts(whole, "with_family") == (1, 2, 3)
    # elders by their household's type: each elder once, residents not in the register aside
    assert whole.household_types["empty_nest"] == 7
    assert whole.household_types["widowed_childless"] == 3

    c01 = reports.year_summary(intake, "2026", "c01")
    assert (c01.community, c01.elders) == ("c01", 9)
    assert counts(c01, "empty_nest") == (2, 4, 5)
    assert counts(c01, "widowed_childless") == (2, 2, 2)
    c02 = reports.year_summary(intake, "2026", "c02")
    assert counts(c02, "empty_nest") == (1, 3, 3)
    assert counts(c02, "widowed_childless") == (1, 1, 1)


def test_a_past_years_households_are_counted_as_they_stood_at_the_years_end(intake):
    built = district(intake)
    next_year = intake
    clock = intake.clock  # the stores' too: their histories are written at its time
    assert isinstance(clock, FixedClock)
    clock.move_to(datetime(2027, 2, 1, 2, tzinfo=UTC))
    died_on = date(2027, 1, 20)
    changes.record_death(next_year, built["couple"], None, CLERK, died_on, "家属")
    data = {"elder_id": built["couple"], "died_on": died_on}
    households.follow_register(next_year, "elder.deceased", built["couple"], data)

    now = reports.year_summary(next_year, "2027", "c01")  # the spouse now lives alone
    assert counts(now, "empty_nest") == (1, 2, 3)
    assert counts(now, "living_alone") == (2, 2, 2)
    then = reports.year_summary(next_year, "2026", "c01")
    assert then.as_of == date(2026, 12, 31)
    assert counts(then, "empty_nest") == (2, 4, 5)
    assert counts(then, "widowed_childless") == (2, 2, 2)
    assert counts(then, "living_alone") == (1, 1, 1)
    assert counts(reports.year_summary(next_year, "2026"), "empty_nest") == (3, 7, 8)
