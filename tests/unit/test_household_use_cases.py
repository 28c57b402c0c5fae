"""Households on stores in memory: placing elders at registration and from a survey, keeping
households true when a member dies or moves, and the corrections staff make."""

from datetime import UTC, date, datetime

import pytest
from memory_intake import memory_intake
from test_intake_use_cases import COMMUNITIES, registration

from services.intake.domain.elder import Circumstances
from services.intake.service_layer import changes, households
from services.intake.service_layer.container import Intake
from services.intake.service_layer.registration import register_elder, register_many
from shared.audit import Actor
from shared.errors import Conflict, RuleViolation

NOW = datetime(2026, 12, 5, 2, tzinfo=UTC)
CLERK = Actor("clerk", "test")


@pytest.fixture
def intake() -> Intake:
    return memory_intake(NOW, COMMUNITIES)


def announced(intake: Intake, kind: str) -> list:
    stores = (intake.households, intake.elders)
    return [e for store in stores for e in store.announced if e.type == kind]  # type: ignore[attr-defined]


def couple(intake: Intake) -> tuple[str, str]:
    first = register_elder(intake, registration(2, address="新华路12号3-201"), CLERK)
    second = register_elder(intake, registration(3, address="新华路 12号 3-201室"), CLERK)
    return first.elder_id, second.elder_id


def test_a_couple_registered_at_one_address_is_one_empty_nest_household(intake):
    first = register_elder(intake, registration(2, address="新华路12号3-201"), CLERK)
    household = households.household_of(intake, first.elder_id)
    assert household is not None and household.household_type == "unknown"  # nothing known yet
    second = register_elder(intake, registration(3, address="新华路 12号 3-201室"), CLERK)
    household = households.household_of(intake, second.elder_id)
    assert household is not None and household.members == (first.elder_id, second.elder_id)
    assert household.household_type == "empty_nest"
    for elder_id in household.members:
        elder = intake.elders.get(elder_id)
        assert elder.circumstances.household_type == "empty_nest"
        assert "empty_nest" in elder.key_target_reasons
    assert [e.type for e in intake.households.announced] == [  # type: ignore[attr-defined]
        "household.formed",
        "household.changed",
    ]


def test_a_death_leaves_the_spouse_alone_with_exactly_one_must_visit(intake):
    died, survivor = couple(intake)
    changes.record_death(intake, died, None, CLERK, date(2026, 12, 3), "hospital")
    data = {"elder_id": died, "died_on": date(2026, 12, 3)}
    for _ in range(2):  # the event delivered twice
        households.follow_register(intake, "elder.deceased", died, data)
    household = households.household_of(intake, survivor)
    assert household is not None and household.members == (survivor,)
    assert household.household_type == "living_alone"
    elder = intake.elders.get(survivor)
    assert elder.circumstances.household_type == "living_alone"
    assert "living_alone" in elder.key_target_reasons
    [incident] = announced(intake, "incident.reported")
    assert incident.subject == survivor
    assert incident.data["trigger"] == "family_accident"
    assert incident.data["incident_id"] == f"household-death:{died}:{survivor}"
    [left] = [e for e in announced(intake, "household.changed") if e.data["departure"]]
    assert left.data["departure"] == "died" and left.data["previous_type"] == "empty_nest"
    assert left.data["persons"] == 1 and "address" not in left.data


def test_a_move_takes_the_elder_to_the_household_of_the_new_home(intake):
    mover, stays = couple(intake)
    changes.record_move(intake, mover, None, CLERK, date(2026, 12, 1), "c02", "解放路9号", None)
    households.follow_register(intake, "elder.moved", mover, {"moved_on": date(2026, 12, 1)})
    old = households.household_of(intake, stays)
    new = households.household_of(intake, mover)
    assert old is not None and new is not None and old.household_id != new.household_id
    assert old.household_type == "living_alone" and old.departures[0].reason == "moved"
    assert new.community == "c02" and new.members == (mover,)
    assert announced(intake, "incident.reported") == []  # a move is no death


def test_staff_set_the_type_by_hand_with_a_reason_and_the_elders_follow(intake):
    first, second = couple(intake)
    household = households.household_of(intake, first)
    assert household is not None
    with pytest.raises(Conflict):
        households.set_type(intake, household.household_id, 1, "with_family", "x", CLERK)
    changed = households.set_type(
        intake, household.household_id, household.version, "with_family", "女儿同住", CLERK
    )
    assert changed.type_source == "by_hand"
    assert intake.elders.get(second).circumstances.household_type == "with_family"
    restored = households.clear_type(intake, changed.household_id, changed.version)
    assert restored.household_type == "empty_nest"
    assert intake.elders.get(first).circumstances.household_type == "empty_nest"


def test_a_clerk_moves_an_elder_the_grouping_put_wrongly(intake):
    first, second = couple(intake)
    own = households.move_member(intake, None, second, CLERK)
    assert own.members == (second,) and own.household_type == "unknown"  # nothing known of it
    assert intake.elders.get(second).circumstances.household_type == "unknown"
    left = households.household_of(intake, first)
    assert left is not None and left.household_type == "living_alone"
    back = households.move_member(intake, left.household_id, second, CLERK)
    assert set(back.members) == {first, second} and back.household_type == "empty_nest"
    with pytest.raises(RuleViolation, match="already lives"):
        households.move_member(intake, back.household_id, second, CLERK)


def test_a_survey_is_grouped_in_one_batch_and_its_doubts_reported(intake):
    rows = [
        (2, registration(2, address="一路1号", household_number="H1")),
        (3, registration(3, address="一路1号", household_number="H1")),
        (4, registration(4, address="二路2号")),
        (5, registration(5, address="二路 2号")),
        (6, registration(6, address="幸福村")),
        (
            7,
            registration(
                7, address="三路3号", circumstances=Circumstances(household_type="living_alone")
            ),
        ),
        (8, registration(8, address="三路3号", circumstances=Circumstances("empty_nest"))),
    ]
    report = register_many(intake, rows, CLERK, batch_size=2)
    grouping = report.households
    assert report.imported == 7
    assert (grouping.placed, grouping.households_formed, grouping.households_joined) == (7, 4, 0)
    assert sorted(a["rows"] for a in grouping.ambiguous) == [[6], [7, 8]]
    again = register_many(intake, rows, CLERK)  # the same file again
    assert again.unchanged == 7 and again.households.placed == 0
    assert len(list(intake.households.each({}))) == 4


def test_house_everyone_places_the_unplaced_once(intake):
    first = register_elder(intake, registration(2, address="一路1号"), CLERK)
    household = households.household_of(intake, first.elder_id)
    assert household is not None
    intake.households.documents.clear()  # type: ignore[attr-defined]  # as before households
    report = households.house_everyone(intake)
    assert (report.placed, report.households_formed) == (1, 1)
    assert households.house_everyone(intake).placed == 0
    assert len(list(intake.households.each({}))) == 1


def test_a_type_typed_on_an_elders_record_is_their_households_set_by_hand(intake):
    first, second = couple(intake)
    version = intake.elders.get(first).version
    edits = {"circumstances": {"household_type": "with_family"}}
    households.update_elder(intake, first, version, CLERK, edits)
    household = households.household_of(intake, first)
    assert household is not None and household.household_type == "with_family"
    assert household.set_by_hand is not None and first in household.set_by_hand.reason
    assert intake.elders.get(second).circumstances.household_type == "with_family"
    # another edit that leaves the type alone changes nothing of the household
    households.update_elder(intake, first, None, CLERK, {"name": "王秀兰"})
    assert households.household_of(intake, first) == household


def test_home_care_is_the_households_and_every_elder_living_there_follows(intake):
    first, second = couple(intake)
    household = households.household_of(intake, first)
    assert household is not None and household.home_care is None
    enrolled = households.set_home_care(
        intake, household.household_id, household.version, True, date(2026, 12, 1), CLERK
    )
    assert enrolled.home_care is not None and enrolled.home_care.since == date(2026, 12, 1)
    assert all(intake.elders.get(i).circumstances.home_care for i in (first, second))
    [event] = [e for e in announced(intake, "household.changed") if e.data["home_care"]]
    assert event.data["reason"] == "home_care_enrolled"
    assert event.data["home_care_since"] == "2026-12-01"
    with pytest.raises(RuleViolation, match="already"):
        households.set_home_care(
            intake, enrolled.household_id, enrolled.version, True, NOW.date(), CLERK
        )
    with pytest.raises(RuleViolation, match="cannot end before"):
        households.set_home_care(
            intake, enrolled.household_id, enrolled.version, False, date(2026, 11, 30), CLERK
        )
    ended = households.set_home_care(
        intake, enrolled.household_id, enrolled.version, False, NOW.date(), CLERK
    )
    assert ended.home_care is None
    assert not any(intake.elders.get(i).circumstances.home_care for i in (first, second))


def test_home_care_typed_on_an_elders_record_enrols_their_household(intake):
    first, second = couple(intake)
    households.update_elder(intake, first, None, CLERK, {"circumstances": {"home_care": True}})
    household = households.household_of(intake, first)
    assert household is not None and household.home_care is not None
    assert household.home_care.by == CLERK.user
    assert intake.elders.get(second).circumstances.home_care
    households.update_elder(intake, second, None, CLERK, {"circumstances": {"home_care": False}})
    household = households.household_of(intake, first)
    assert household is not None and household.home_care is None
    assert not intake.elders.get(first).circumstances.home_care


def test_an_elder_registered_as_home_care_enrols_the_household_they_join(intake):
    enrolled = Circumstances(home_care=True)
    first = register_elder(intake, registration(2, address="一路1号"), CLERK)
    assert not first.circumstances.home_care
    second = register_elder(
        intake, registration(3, address="一路1号", circumstances=enrolled), CLERK
    )
    household = households.household_of(intake, second.elder_id)
    assert household is not None and household.home_care is not None
    assert intake.elders.get(first.elder_id).circumstances.home_care
    # a third who comes later is written enrolled already: they take the household's
    third = register_elder(intake, registration(4, address="一路1号"), CLERK)
    assert third.circumstances.home_care and third.version == 1


def test_a_mover_takes_the_home_care_of_the_household_they_join(intake):
    mover = register_elder(
        intake,
        registration(2, address="一路1号", circumstances=Circumstances(home_care=True)),
        CLERK,
    )
    host = register_elder(intake, registration(3, address="解放路9号", community="c02"), CLERK)
    changes.record_move(
        intake, mover.elder_id, None, CLERK, date(2026, 12, 1), "c02", "解放路9号", None
    )
    households.follow_register(
        intake, "elder.moved", mover.elder_id, {"moved_on": date(2026, 12, 1)}
    )
    household = households.household_of(intake, host.elder_id)
    assert household is not None and mover.elder_id in household.members
    assert household.home_care is None
    assert not intake.elders.get(mover.elder_id).circumstances.home_care


def test_a_survey_enrols_a_household_once_whichever_of_its_rows_says_so(intake):
    rows = [
        (2, registration(2, address="一路1号", household_number="H1")),
        (
            3,
            registration(
                3,
                address="一路1号",
                household_number="H1",
                circumstances=Circumstances(home_care=True),
            ),
        ),
        (4, registration(4, address="二路2号")),
    ]
    report = register_many(intake, rows, CLERK)
    assert report.households.households_formed == 2
    enrolled = list(intake.households.each(households.list_query({"home_care": True})))
    assert len(enrolled) == 1 and len(enrolled[0].members) == 2
    assert all(intake.elders.get(i).circumstances.home_care for i in enrolled[0].members)
    [other] = list(intake.households.each(households.list_query({"home_care": False})))
    assert other.members != enrolled[0].members


def test_households_kept_before_home_care_was_theirs_are_enrolled_once_from_the_records(intake):
    enrolled = Circumstances(home_care=True)
    first = register_elder(
        intake, registration(2, address="一路1号", circumstances=enrolled), CLERK
    )
    second = register_elder(intake, registration(3, address="一路1号"), CLERK)
    other = register_elder(intake, registration(4, address="二路2号"), CLERK)
    household = households.household_of(intake, first.elder_id)
    assert household is not None
    # as a household written before it held an enrolment: no such field, and its second
    # elder not yet enrolled
    del intake.households.documents[household.household_id]["home_care"]  # type: ignore[attr-defined]
    changes.update_elder(
        intake, second.elder_id, None, CLERK, {"circumstances": {"home_care": False}}
    )
    assert households.enrol_as_recorded(intake) == 1
    household = households.household_of(intake, first.elder_id)
    assert household is not None and household.home_care is not None
    assert intake.elders.get(second.elder_id).circumstances.home_care
    assert households.enrol_as_recorded(intake) == 0
    assert not intake.elders.get(other.elder_id).circumstances.home_care


def test_an_address_corrected_on_the_record_takes_the_elder_to_the_household_at_it(intake):
    first, second = couple(intake)
    before = households.household_of(intake, first)
    assert before is not None
    edits = {"address": "解放路7号2-101"}
    corrected = households.update_elder(intake, second, None, CLERK, edits)
    assert corrected.address == "解放路7号2-101"
    assert households.household_of(intake, second) == before  # until the worker follows
    updated = {"elder_id": second, "changed": ["address"]}
    for _ in range(2):  # the update delivered twice
        households.follow_register(intake, "elder.updated", second, updated)
    left = households.household_of(intake, first)
    assert left is not None and left.household_id == before.household_id
    assert left.members == (first,) and left.departures[-1].reason == "regrouped"
    new = households.household_of(intake, second)
    assert new is not None and new.address_key == "解放路7号2-101"
    assert announced(intake, "incident.reported") == []  # a correction is no death
    renamed = {"elder_id": second, "changed": ["name"]}
    assert not households.follow_register(intake, "elder.updated", second, renamed)
    assert households.household_of(intake, second) == new
