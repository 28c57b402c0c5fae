"""Who a request names, as a use case on stores in memory: an elder by elder_id or a volunteer
by volunteer_id (the elder they also are, one person), refused when named both ways, neither,
or unknown; and an elder who died or left the district leaving every team, course and post on
that day, once."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from factories import registered_data
from memory_visits import memory_visits
from test_visits_use_cases import event, handle, register

from services.visits.domain.courses import CourseTerms
from services.visits.service_layer import courses, teams, volunteering
from services.visits.service_layer.container import Visits
from services.visits.service_layer.participants import part_ways, participant, participants
from shared.errors import NotFound, RuleViolation
from shared.events import event_type
from shared.stamps import Stamped

NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)


@pytest.fixture
def visits() -> Visits:
    visits = memory_visits(NOW)
    register(visits, "e-1")
    return visits


def volunteer(visits: Visits, volunteer_id: str, elder_id: str | None = None) -> None:
    data = {"volunteer_id": volunteer_id, "version": 1, "name": "李志愿", "community": "xinhua"}
    sent = event(visits, "volunteer.registered", volunteer_id, {**data, "elder_id": elder_id})
    assert handle(visits, sent)


def gone(visits: Visits, event_type_: str, version: int, **fields: Any) -> None:
    """The elder's record as intake's event leaves it, applied to visits' copy alone."""
    sent = event(visits, event_type_, "e-1", registered_data("e-1", version, **fields))
    data = event_type(sent.type).load(sent)
    assert visits.elders.apply("e-1", version, sent.id, data)


def history(store: Any, record_id: str) -> list[str]:
    assert isinstance(store, Stamped)
    return [line["change"] for line in store.history(record_id)]


def test_a_person_is_named_by_elder_or_volunteer_and_an_elder_who_volunteers_is_one(visits):
    volunteer(visits, "v-1")
    volunteer(visits, "v-2", elder_id="e-1")
    elder = participant(visits, {"elder_id": "e-1"})
    assert (elder.person, elder.name, elder.community) == ("elder:e-1", "王秀英", "xinhua")
    young = participant(visits, {"volunteer_id": "v-1"})
    assert (young.person, young.elder_id, young.volunteer_id) == ("volunteer:v-1", None, "v-1")
    both = participant(visits, {"volunteer_id": "v-2"})
    assert (both.person, both.elder_id, both.volunteer_id) == ("elder:e-1", "e-1", "v-2")

    named = [{"elder_id": "e-1"}, {"volunteer_id": "v-1"}, {"volunteer_id": "v-2"}]
    assert [p.person for p in participants(visits, named)] == ["elder:e-1", "volunteer:v-1"]


def test_a_person_named_both_ways_neither_or_unknown_is_refused(visits):
    volunteer(visits, "v-3", elder_id="e-8")  # an elder visits does not know (yet)
    for named in ({"elder_id": "e-1", "volunteer_id": "v-1"}, {}, {"elder_id": None}):
        with pytest.raises(RuleViolation) as refusal:
            participant(visits, named)
        assert refusal.value.context["field"] == "people"
    with pytest.raises(NotFound) as elder:
        participant(visits, {"elder_id": "e-9"})
    assert elder.value.context["field"] == "elder_id"
    with pytest.raises(NotFound) as unknown:
        participant(visits, {"volunteer_id": "v-9"})
    assert unknown.value.context["field"] == "volunteer_id"
    with pytest.raises(NotFound):
        participant(visits, {"volunteer_id": "v-3"})
    with pytest.raises(NotFound):  # one unknown among several: none is answered
        participants(visits, [{"elder_id": "e-1"}, {"elder_id": "e-9"}])


def test_an_elder_who_died_leaves_every_team_course_and_post_that_day_once(visits):
    team = teams.form(visits, "t1", "xinhua", "culture_sports", "dance", "舞蹈队", date(2026, 1, 1))
    teams.join(visits, team.team_id, {"elder_id": "e-1"}, date(2026, 2, 1))
    terms = CourseTerms(
        "elder_university", "course", "calligraphy", "书法班", date(2026, 9, 1), date(2026, 12, 31)
    )
    courses.plan(visits, "k1", "xinhua", terms)
    courses.enrol(visits, "k1", {"elder_id": "e-1"}, date(2026, 9, 1))
    volunteering.take_post(visits, "p1", "e-1", "xinhua", "group_leader", date(2025, 1, 1))
    alive = visits.elders.get("e-1")
    assert alive is not None and part_ways(visits, alive) is False  # still served

    gone(
        visits,
        "elder.deceased",
        2,
        status="deceased",
        died_on=date(2026, 11, 20),
        reported_by="hospital",
    )
    elder = visits.elders.get("e-1")
    assert elder is not None and part_ways(visits, elder) is True
    [member] = visits.activities.teams.require("t1").members
    assert (member.left_on, member.left_because) == (date(2026, 11, 20), "died")
    [enrolment] = visits.activities.courses.require("k1").enrolments
    assert (enrolment.ended_on, enrolment.ended_because) == (date(2026, 11, 20), "died")
    post = visits.activities.posts.require("p1")
    assert (post.status, post.until, post.ended_because) == ("ended", date(2026, 11, 20), "died")
    assert history(visits.activities.posts, "p1")[-1] == "died"
    assert history(visits.activities.courses, "k1")[-1] == "王秀英 died"

    stamp = visits.activities.stamp.current()
    assert part_ways(visits, elder) is False  # applied again: nothing changes
    assert visits.activities.stamp.current() == stamp


def test_an_elder_who_left_the_district_parts_ways_but_a_merged_record_does_not(visits):
    team = teams.form(visits, "t1", "xinhua", "culture_sports", "dance", "舞蹈队", date(2026, 1, 1))
    teams.join(visits, team.team_id, {"elder_id": "e-1"}, date(2026, 2, 1))
    gone(visits, "elder.merged", 2, status="merged", merged_into="e-2")
    merged = visits.elders.get("e-1")
    assert merged is not None and part_ways(visits, merged) is False
    assert visits.activities.teams.require("t1").members[0].left_on is None

    moved = {
        "status": "moved_out",
        "moved_out_on": date(2026, 10, 31),
        "moved_on": date(2026, 10, 31),
    }
    gone(visits, "elder.moved_out", 3, **moved)
    elder = visits.elders.get("e-1")
    assert elder is not None and part_ways(visits, elder) is True
    [member] = visits.activities.teams.require("t1").members
    assert (member.left_on, member.left_because) == (date(2026, 10, 31), "left the district")
