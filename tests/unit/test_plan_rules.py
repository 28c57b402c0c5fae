"""The yearly service plans without a server: targets of known measures, once each, with the
person responsible; progress worked out from the records of the year (routine visits made of
those due, lectures and activities held, volunteer teams); and the district's roll-up counting
a share again from its parts."""

from datetime import date, timedelta

import pytest
from memory_visits import memory_visits
from test_visits_use_cases import NOW, register

from services.visits.domain import plans as rules
from services.visits.domain.plans import Progress, Tally, Target
from services.visits.service_layer import occasions, plans, teams
from shared.audit import Actor
from shared.errors import Conflict, NotFound, RuleViolation


def test_a_plans_targets_are_known_measures_once_each_with_someone_responsible():
    made = rules.make_plan("c01", 2026, [Target("activities", 12, "李主任")], "li", None).after
    assert (made.plan_id, made.version) == ("c01:2026", 1)
    for wrong in (
        [Target("happiness", 1, "李")],
        [Target("activities", 1, "李"), Target("activities", 2, "王")],
        [Target("routine_visits", 120, "李")],
        [Target("lectures", 4, " ")],
    ):
        with pytest.raises(RuleViolation):
            rules.make_plan("c01", 2026, wrong, "li", None)


def test_the_district_counts_a_share_again_from_its_parts_and_sums_the_counts():
    first = [
        Progress("routine_visits", 90, "李", Tally(9, 10)),
        Progress("lectures", 4, "李", Tally(5)),
    ]
    second = [
        Progress("routine_visits", 95, "王", Tally(1, 10)),
        Progress("lectures", 6, "王", Tally(2)),
    ]
    district = {p.measure: p for p in rules.rolled_up([first, second])}
    assert district["routine_visits"].tally.value == 50.0  # 10 of 20, not the mean of 90 and 10
    assert district["routine_visits"].target == 95 and not district["routine_visits"].reached
    assert (district["lectures"].target, district["lectures"].tally.value) == (10, 7.0)
    assert district["lectures"].responsible == "李、王"


def test_progress_is_worked_out_from_the_years_records():
    visits = memory_visits(NOW)
    register(visits, "e-1")
    targets = [Target("activities", 2, "李主任"), Target("volunteer_teams", 1, "王")]
    plans.set_plan(visits, "xinhua", 2026, targets, "li", 0)
    with pytest.raises(Conflict):  # changed from a version that is not the one held
        plans.set_plan(visits, "xinhua", 2026, targets, "li", 0)
    for n in range(3):
        day = date(2026, 3, 1) + timedelta(days=n)
        occasions.hold_activity(visits, f"o{n}", "xinhua", "排练", "dance", day, Actor("wang"))
    occasions.hold_activity(visits, "old", "xinhua", "排练", "dance", date(2025, 6, 1), Actor("w"))
    teams.form(visits, "t1", "xinhua", "culture_sports", "dance", "舞蹈队", date(2026, 1, 1))
    plan, progress = plans.plan_progress(visits, "xinhua", 2026)
    assert (plan.version, plan.made_by) == (1, "li")
    shown = {p.measure: (p.tally.value, p.reached) for p in progress}
    assert shown == {"activities": (3.0, True), "volunteer_teams": (0.0, False)}
    _, district = plans.district_progress(visits, 2026)
    assert {p.measure for p in district} == {"activities", "volunteer_teams"}
    with pytest.raises(NotFound):
        plans.plan_progress(visits, "dongfeng", 2026)
