"""Learning, activities and teams in visits on the real store, through its HTTP API and its
worker's handlers: venues, teams and courses of the community's own; one person however
named; places within capacity and sessions within their course; attendance once per person
and occasion; a death (intake's event) ending memberships, enrolments and posts, and refusing
attendance after it; and the year's figures, counted exactly, as JSON and as a workbook."""

from datetime import date
from io import BytesIO

from openpyxl import load_workbook
from test_visits_support import (  # noqa: F401
    DONGFENG_HEAD,
    HEAD,
    NOW,
    VISITOR,
    client,
    elder_event,
    handle,
    register,
    visits,
)

from shared.events import new_event


def volunteer(visits, volunteer_id: str, name: str, elder_id: str | None = None) -> None:  # noqa: F811
    data = {
        "volunteer_id": volunteer_id,
        "version": 1,
        "name": name,
        "community": "xinhua",
        "skills": ["法律咨询"],
        "elder_id": elder_id,
    }
    event = new_event(
        "volunteer.registered",
        volunteer_id,
        data,
        source="urn:test:intake",
        district=visits.settings.district,
        at=NOW,
    )
    handle(visits, event)


def made(client, path: str, body: dict, headers=HEAD, status: int = 201) -> dict:  # noqa: F811
    answer = client.post(path, json=body, headers=headers)
    assert answer.status_code == status, answer.json
    return answer.json


def test_a_year_of_teams_courses_and_activities_is_recorded_and_counted_exactly(
    client,  # noqa: F811
    visits,  # noqa: F811
):
    for elder_id in ("e-1", "e-2", "e-3"):
        register(visits, elder_id, name=f"老人{elder_id}")
    volunteer(visits, "v-1", "小李")
    volunteer(visits, "v-2", "老人e-1", elder_id="e-1")  # an elder who volunteers

    room = made(
        client,
        "/venues",
        {"community": "xinhua", "kind": "activity_room", "name": "活动室", "area_m2": 60,
         "capacity": 40, "opened_on": "2026-01-01"},
    )  # fmt: skip
    elsewhere = made(
        client,
        "/venues",
        {"community": "dongfeng", "kind": "reading_room", "name": "阅览室", "periodicals": 8},
        DONGFENG_HEAD,
    )
    refused = client.post(
        "/venues",
        json={"community": "xinhua", "kind": "indoor_gym", "name": "健身房"},
        headers=DONGFENG_HEAD,
    )
    assert refused.status_code == 403, refused.json

    team = made(
        client,
        "/teams",
        {"community": "xinhua", "kind": "culture_sports", "activity": "dance", "name": "舞蹈队",
         "founded_on": "2026-01-01", "leader": "老人e-2"},
    )  # fmt: skip
    members = f"/teams/{team['team_id']}/members"
    made(client, members, {"elder_id": "e-1", "joined_on": "2026-02-01"}, status=200)
    twice = client.post(members, json={"volunteer_id": "v-2"}, headers=HEAD)
    assert twice.status_code == 409 and "already" in twice.json["detail"]  # v-2 is e-1
    joined = made(client, members, {"volunteer_id": "v-1", "joined_on": "2026-02-02"}, status=200)
    assert [m["person"] for m in joined["members"]] == ["elder:e-1", "volunteer:v-1"]

    course = {
        "community": "xinhua",
        "organiser": "elder_university",
        "kind": "course",
        "category": "calligraphy",
        "name": "书法班",
        "starts_on": "2026-03-01",
        "ends_on": "2026-06-30",
        "capacity": 1,
    }
    foreign = client.post(
        "/courses", json={**course, "venue_id": elsewhere["venue_id"]}, headers=HEAD
    )
    assert foreign.status_code == 422 and "venue of dongfeng" in foreign.json["detail"]
    calligraphy = made(client, "/courses", {**course, "venue_id": room["venue_id"]})
    enrolments = f"/courses/{calligraphy['course_id']}/enrolments"
    made(client, enrolments, {"elder_id": "e-1", "enrolled_on": "2026-03-01"}, status=200)
    full = client.post(
        enrolments, json={"elder_id": "e-2", "enrolled_on": "2026-03-02"}, headers=HEAD
    )
    assert full.status_code == 422 and "full: 1 of its 1 places" in full.json["detail"]

    sessions = f"/courses/{calligraphy['course_id']}/sessions"
    outside = client.post(sessions, json={"held_on": "2026-07-01"}, headers=VISITOR)
    assert outside.status_code == 422 and "outside it" in outside.json["detail"]
    session = made(client, sessions, {"held_on": "2026-03-10"}, VISITOR)
    ticked = f"/occasions/{session['occasion_id']}/attendance"
    first = made(client, ticked, {"people": [{"elder_id": "e-1"}]}, VISITOR, 200)
    again = made(client, ticked, {"people": [{"volunteer_id": "v-2"}]}, VISITOR, 200)
    assert (len(first["recorded"]), len(again["recorded"]), len(again["already"])) == (1, 0, 1)
    stranger = client.post(ticked, json={"people": [{"elder_id": "e-2"}]}, headers=VISITOR)
    assert stranger.status_code == 422 and "not enrolled" in stranger.json["detail"]

    fair = made(
        client,
        "/occasions",
        {"community": "xinhua", "title": "重阳联欢", "category": "singing",
         "held_on": "2026-10-29", "team_id": team["team_id"], "venue_id": room["venue_id"]},
        VISITOR,
    )  # fmt: skip
    people = [{"elder_id": "e-2"}, {"volunteer_id": "v-1"}, {"elder_id": "e-1"}]
    made(client, f"/occasions/{fair['occasion_id']}/attendance", {"people": people}, VISITOR, 200)
    made(
        client,
        "/occasions",
        {"community": "xinhua", "title": "老年人体育运动会", "category": "sports",
         "held_on": "2026-09-09", "head_count": 150},
        VISITOR,
    )  # fmt: skip
    made(
        client,
        "/volunteer-service",
        {"volunteer_id": "v-1", "community": "xinhua", "service": "legal_advice",
         "served_on": "2026-05-01", "hours": 2.5},
        VISITOR,
    )  # fmt: skip
    post = made(
        client,
        "/community-posts",
        {"elder_id": "e-1", "community": "xinhua", "post": "mediation", "since": "2026-01-01"},
    )

    # a death, from intake's event: memberships, enrolments and posts end on that day
    died = {"status": "deceased", "died_on": date(2026, 11, 1), "reported_by": "registry"}
    handle(visits, elder_event(visits, "elder.deceased", "e-1", 2, name="老人e-1", **died))
    after = client.get(f"/teams/{team['team_id']}", headers=HEAD).json
    left = {m["person"]: (m["left_on"], m["left_because"]) for m in after["members"]}
    assert left == {"elder:e-1": ("2026-11-01", "died"), "volunteer:v-1": (None, None)}
    dropped = client.get(f"/courses/{calligraphy['course_id']}", headers=HEAD).json
    assert dropped["enrolments"][0]["ended_on"] == "2026-11-01"
    ended = client.get("/community-posts", query_string={"person": "elder:e-1"}, headers=HEAD)
    assert [p["until"] for p in ended.json["items"]] == ["2026-11-01"]
    assert post["post_id"] == ended.json["items"][0]["post_id"]
    later = made(
        client,
        "/occasions",
        {"community": "xinhua", "title": "健康知识讲座", "category": "health_knowledge",
         "held_on": "2026-11-20"},
        VISITOR,
    )  # fmt: skip
    too_late = client.post(
        f"/occasions/{later['occasion_id']}/attendance",
        json={"people": [{"elder_id": "e-2"}, {"elder_id": "e-1"}]},
        headers=VISITOR,
    )
    assert too_late.status_code == 422 and "died on 2026-11-01" in too_late.json["detail"]
    assert client.get(f"/occasions/{later['occasion_id']}", headers=HEAD).json["attendance"] == []

    year = {"first": "2026-01-01", "last": "2026-12-31"}
    figures = client.get("/reports/activities", query_string=year, headers=HEAD).json
    xinhua = next(c for c in figures["communities"] if c["community"] == "xinhua")
    assert xinhua["teams"]["total"] == {"teams": 1, "members": 2}
    assert xinhua["courses"]["by_category"]["calligraphy"] == {
        "courses": 1,
        "enrolments": 1,
        "sessions": 1,
        "person_times": 1,
    }
    assert xinhua["activities"]["total"] == {"held": 3, "open_events": 1, "person_times": 153}
    assert xinhua["volunteer_service"]["total"] == {"hours": 2.5, "people": 1, "times": 1}
    assert xinhua["venues"]["total"] == {"venues": 1, "area_m2": 60.0, "periodicals": 0}
    assert xinhua["posts"]["total"] == {"held": 1}
    assert xinhua["person_times"] == 1 + 3 + 150
    assert xinhua["people_taking_part"] == 3  # e-1 (also v-2), e-2, v-1
    assert figures["district"]["venues"]["total"]["periodicals"] == 8  # dongfeng's reading room

    workbook = client.get(
        "/reports/activities", query_string={**year, "format": "xlsx"}, headers=HEAD
    )
    assert workbook.status_code == 200, workbook.data[:300]
    sheet = load_workbook(BytesIO(workbook.data)).active
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    [xinhua_row] = [row for row in rows if row[0] == "xinhua"]
    assert xinhua_row[1:3] == [1, 2] and xinhua_row[-1] == 154

    mine = client.get("/elders/e-1/activities", headers=HEAD).json
    assert [(t["name"], t["left_on"]) for t in mine["teams"]] == [("舞蹈队", "2026-11-01")]
    assert [c["name"] for c in mine["courses"]] == ["书法班"]
    assert mine["attended"] == 2 and mine["posts"][0]["post"] == "mediation"
