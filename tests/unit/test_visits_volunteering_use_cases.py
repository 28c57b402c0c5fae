"""Elders serving the community, as use cases on stores in memory: hours of volunteer service
recorded for an elder or a volunteer, with the team of the community they served in; posts
held by elders, taken from a day and ended from the version the office read. Neither
announces an event: what happened is in the records' history."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from factories import registered_data
from memory_visits import memory_visits
from test_visits_use_cases import event, handle, register

from services.visits.service_layer import teams, volunteering
from services.visits.service_layer.container import Visits
from shared.audit import Actor
from shared.errors import Conflict, NotFound, RuleViolation
from shared.memory_stores import MemoryRecords
from shared.stamps import Stamped

NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)
TODAY = date(2026, 11, 29)  # in Shanghai too, at 16:30
WANG = Actor("wang")
FOUNDED = date(2026, 1, 1)


@pytest.fixture
def visits() -> Visits:
    visits = memory_visits(NOW)
    register(visits, "e-1")
    data = {"volunteer_id": "v-1", "version": 1, "name": "小李", "community": "xinhua"}
    assert handle(visits, event(visits, "volunteer.registered", "v-1", data))
    teams.form(visits, "t1", "xinhua", "volunteer_service", "public_order", "巡逻队", FOUNDED)
    teams.form(visits, "t2", "dongfeng", "volunteer_service", "public_order", "巡逻队", FOUNDED)
    return visits


def serve(visits: Visits, service_id: str, named: dict[str, str], **changes: Any) -> Any:
    facts: dict[str, Any] = {
        "community": "xinhua",
        "service": "public_order",
        "served_on": date(2026, 11, 20),
        "hours": 2.5,
        "by": WANG,
        **changes,
    }
    return volunteering.serve(visits, service_id, named, **facts)


def announced(store: Any) -> list[str]:
    assert isinstance(store, Stamped) and isinstance(store.store, MemoryRecords)
    return [e.type for e in store.store.announced]


def test_hours_of_service_are_recorded_for_an_elder_or_a_volunteer_with_their_team(visits):
    stamp = visits.activities.stamp.current()
    served = serve(visits, "s1", {"elder_id": "e-1"}, team_id="t1", note=" 夜间巡逻 ")
    stored = visits.activities.service_hours.require("s1")
    assert stored == served
    assert (stored.person, stored.name, stored.elder_id, stored.volunteer_id) == (
        "elder:e-1",
        "王秀英",
        "e-1",
        None,
    )
    assert (stored.team_id, stored.hours, stored.recorded_by, stored.note) == (
        "t1",
        2.5,
        "wang",
        "夜间巡逻",
    )
    young = serve(visits, "s2", {"volunteer_id": "v-1"}, hours=1.0)
    assert visits.activities.service_hours.require("s2") == young
    assert (young.person, young.team_id, young.note) == ("volunteer:v-1", None, None)
    assert visits.activities.stamp.current() == stamp + 2
    assert announced(visits.activities.service_hours) == []


def test_hours_refused_are_not_recorded(visits):
    refused = {
        "team_id": {"team_id": "t2"},  # a team of dongfeng
        "hours": {"hours": 1.3},
        "served_on": {"served_on": date(2026, 11, 30)},  # tomorrow in Shanghai
        "service": {"service": "cooking"},
    }
    for field, wrong in refused.items():
        with pytest.raises(RuleViolation) as refusal:
            serve(visits, f"s-{field}", {"elder_id": "e-1"}, **wrong)
        assert refusal.value.context["field"] == field
    with pytest.raises(NotFound):
        serve(visits, "s-team", {"elder_id": "e-1"}, team_id="t9")
    teams.end(visits, "t1", 1, date(2026, 3, 31), "解散")
    with pytest.raises(RuleViolation, match="not a team on 2026-11-20") as ended:
        serve(visits, "s-ended", {"elder_id": "e-1"}, team_id="t1")  # a team ended in March
    assert ended.value.context["field"] == "team_id"
    with pytest.raises(NotFound):
        serve(visits, "s-who", {"volunteer_id": "v-9"})
    fields = {"status": "deceased", "died_on": date(2026, 11, 10), "reported_by": "hospital"}
    assert handle(
        visits, event(visits, "elder.deceased", "e-1", registered_data("e-1", 2, **fields))
    )
    with pytest.raises(RuleViolation) as after_death:
        serve(visits, "s-late", {"elder_id": "e-1"})  # served on 20 November
    assert after_death.value.context["field"] == "people"
    assert list(visits.activities.service_hours.each({})) == []


def test_an_elder_takes_a_post_from_a_day_or_today(visits):
    post = volunteering.take_post(visits, "p1", "e-1", "xinhua", "group_leader", date(2025, 3, 1))
    stored = visits.activities.posts.require("p1")
    assert stored == post
    assert (stored.person, stored.elder_id, stored.since, stored.status) == (
        "elder:e-1",
        "e-1",
        date(2025, 3, 1),
        "held",
    )
    paired = volunteering.take_post(
        visits, "p2", "e-1", "xinhua", "class_pairing", detail=" 第一小学三年级二班 "
    )
    assert (paired.since, paired.detail) == (TODAY, "第一小学三年级二班")
    history = visits.activities.posts.history("p2")
    assert [line["change"] for line in history] == ["王秀英 took the post class_pairing"]
    assert announced(visits.activities.posts) == []


def test_a_post_refused_is_not_taken(visits):
    refused = {
        "detail": ("class_pairing", {}),
        "since": ("patrol", {"since": date(2026, 11, 30)}),
        "post": ("mayor", {}),
    }
    for field, (post, more) in refused.items():
        with pytest.raises(RuleViolation) as refusal:
            volunteering.take_post(visits, f"p-{field}", "e-1", "xinhua", post, **more)
        assert refusal.value.context["field"] == field
    with pytest.raises(NotFound):
        volunteering.take_post(visits, "p-who", "e-9", "xinhua", "patrol")
    assert list(visits.activities.posts.each({})) == []


def test_a_post_ends_from_the_version_read_once(visits):
    volunteering.take_post(visits, "p1", "e-1", "xinhua", "group_leader", date(2025, 3, 1))
    ended = volunteering.leave_post(visits, "p1", 1, date(2026, 11, 1), " 换届 ")
    stored = visits.activities.posts.require("p1")
    assert stored == ended
    assert (stored.status, stored.until, stored.ended_because, stored.version) == (
        "ended",
        date(2026, 11, 1),
        "换届",
        2,
    )
    assert visits.activities.posts.history("p1")[-1]["change"] == "ended (换届)"

    with pytest.raises(Conflict) as stale:
        volunteering.leave_post(visits, "p1", 1, None, "换届")
    assert stale.value.context["version"] == 2
    with pytest.raises(RuleViolation) as again:
        volunteering.leave_post(visits, "p1", 2, None, "换届")
    assert again.value.context["field"] == "post_id"
    with pytest.raises(NotFound):
        volunteering.leave_post(visits, "p9", 1, None, "换届")
    assert visits.activities.posts.require("p1").version == 2


def test_a_post_does_not_end_before_it_was_taken_nor_without_a_reason(visits):
    volunteering.take_post(visits, "p1", "e-1", "xinhua", "patrol", date(2026, 3, 1))
    with pytest.raises(RuleViolation) as early:
        volunteering.leave_post(visits, "p1", 1, date(2026, 2, 28), "换届")
    assert early.value.context["field"] == "on"
    with pytest.raises(RuleViolation) as no_reason:
        volunteering.leave_post(visits, "p1", 1, None, "  ")
    assert no_reason.value.context["field"] == "reason"
    today = volunteering.leave_post(visits, "p1", 1, None, "身体原因")
    assert today.until == TODAY
