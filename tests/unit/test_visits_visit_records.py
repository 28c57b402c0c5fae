from datetime import UTC, datetime, timedelta

import pytest

from services.visits.domain.config import CommunityStaff, VisitsConfig, set_community_staff
from services.visits.domain.visit_records import ServiceGiven, record_visit
from shared.errors import RuleViolation

NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)


def visit(**changes):
    facts = {"visited_at": NOW - timedelta(hours=2), "kind": "home", "visitor": "wang"} | changes
    return record_visit("v-1", "e-1", "xinhua", recorded_by="wang", now=NOW, **facts)


def test_a_visit_dated_in_the_future_is_refused():
    with pytest.raises(RuleViolation, match="in the future") as refused:
        visit(visited_at=NOW + timedelta(minutes=1))
    assert refused.value.context == {"field": "visited_at"}


def test_findings_and_services_are_checked_against_their_catalogues():
    with pytest.raises(RuleViolation, match="unknown trigger 'sad'"):
        visit(new_triggers=["sad"])
    with pytest.raises(RuleViolation, match="unknown service type"):
        visit(services=[ServiceGiven("massage")])
    with pytest.raises(RuleViolation, match="kind of visit"):
        visit(kind="letter")


def test_a_retried_visit_is_the_same_visit_whoever_records_it_when():
    first = visit(
        visited_at=NOW.replace(microsecond=123456) - timedelta(hours=1),
        new_triggers=["hardship", "hardship"],
        follow_up=" ",
        meets=["a", "a"],
    )
    assert first.new_triggers == ("hardship",) and first.meets == ("a",)
    assert first.follow_up is None and first.visited_at.microsecond == 0
    again = record_visit(
        "v-1",
        "e-1",
        "xinhua",
        "wang",
        first.visited_at,
        "home",
        "li",
        NOW + timedelta(hours=1),
        new_triggers=["hardship"],
        meets=["a"],
    )
    assert again.same_facts(first)
    assert not visit(kind="hospital").same_facts(first)


def test_each_community_has_one_worker_and_head_set_by_the_district():
    config = set_community_staff(VisitsConfig(), CommunityStaff("xinhua", "wang", "li"))
    config = set_community_staff(config, CommunityStaff("xinhua", "zhao", "li"))
    assert config.staff("xinhua") == CommunityStaff("xinhua", "zhao", "li")
    assert config.staff("dongfeng") == CommunityStaff("dongfeng", None, None)
    assert len(config.communities) == 1 and config.version == 2
