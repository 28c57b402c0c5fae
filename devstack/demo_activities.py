"""Learning, activities and teams for the demonstration, so that their pages are not empty: in
community c01, two venues, three teams with members, a calligraphy course with its enrolled and
a health lecture, last week's sessions and activities with who came (one an open event counted
by head), hours of volunteer service and two posts held by elders; made through visits' API
with the head's and the worker's tokens, once visits knows c01's elders."""

import time
from datetime import date, timedelta
from typing import Any

from devstack.demo_records import call_api
from devstack.stack import DEMO_COMMUNITY

C01 = DEMO_COMMUNITY
TEAMS = (  # kind, activity, name, how many elders
    ("culture_sports", "dance", "夕阳红舞蹈队", 8),
    ("culture_sports", "taichi", "太极拳队", 6),
    ("volunteer_service", "public_order", "治安巡逻队", 5),
)


def community_elders(visits: str, token: str, wanted: int, timeout: float) -> list[str]:
    """Ids of c01's active elders, once visits knows `wanted` of them."""
    deadline = time.monotonic() + timeout
    while True:
        asked = {"community": C01, "status": "active", "page_size": 100}
        found = call_api("GET", f"{visits}/elders", token, params=asked)
        if len(found["items"]) >= wanted or time.monotonic() > deadline:
            return [e["elder_id"] for e in found["items"]]
        time.sleep(0.5)


def load(visits: str, head: str, worker: str, timeout: float = 120) -> dict[str, Any]:
    """The records, and the ids the pages need (a course, a team, a session)."""
    elders = community_elders(visits, head, 20, timeout)
    if len(elders) < 16:
        raise RuntimeError(f"visits knows {len(elders)} elders of {C01}: too few to show")
    today = date.today()
    opened = (today - timedelta(days=365)).isoformat()
    room = call_api(
        "POST",
        f"{visits}/venues",
        head,
        json={"community": C01, "kind": "activity_room", "name": "老年活动室", "area_m2": 60,
              "capacity": 40, "opened_on": opened},
    )  # fmt: skip
    call_api(
        "POST",
        f"{visits}/venues",
        head,
        json={"community": C01, "kind": "reading_room", "name": "老年阅览室", "area_m2": 30,
              "periodicals": 12, "opened_on": opened},
    )  # fmt: skip
    founded = (today - timedelta(days=200)).isoformat()
    teams, start = [], 0
    for kind, activity, name, size in TEAMS:
        team = call_api(
            "POST",
            f"{visits}/teams",
            head,
            json={"community": C01, "kind": kind, "activity": activity, "name": name,
                  "founded_on": founded},
        )  # fmt: skip
        for elder_id in elders[start : start + size]:
            joined = {"elder_id": elder_id, "joined_on": founded}
            call_api("POST", f"{visits}/teams/{team['team_id']}/members", head, json=joined)
        teams.append(team)
        start += size - 2  # two of each team are in the next one too
    course = call_api(
        "POST",
        f"{visits}/courses",
        head,
        json={"community": C01, "organiser": "elder_university", "kind": "course",
              "category": "calligraphy", "name": "书法班", "capacity": 20,
              "starts_on": (today - timedelta(days=60)).isoformat(),
              "ends_on": (today + timedelta(days=120)).isoformat(), "venue_id": room["venue_id"]},
    )  # fmt: skip
    pupils = elders[-10:]
    for elder_id in pupils:
        enrolled = {"elder_id": elder_id, "enrolled_on": (today - timedelta(days=60)).isoformat()}
        call_api("POST", f"{visits}/courses/{course['course_id']}/enrolments", head, json=enrolled)
    call_api(
        "POST",
        f"{visits}/courses",
        head,
        json={"community": C01, "organiser": "community", "kind": "lecture",
              "category": "health_knowledge", "name": "老年常见病预防讲座",
              "starts_on": today.isoformat(), "ends_on": today.isoformat()},
    )  # fmt: skip
    sessions = []
    for weeks_ago, came in ((2, 9), (1, 7)):
        held_on = (today - timedelta(weeks=weeks_ago)).isoformat()
        session = call_api(
            "POST", f"{visits}/courses/{course['course_id']}/sessions", worker,
            json={"held_on": held_on},
        )  # fmt: skip
        ticked = {"people": [{"elder_id": e} for e in pupils[:came]]}
        call_api(
            "POST", f"{visits}/occasions/{session['occasion_id']}/attendance", worker, json=ticked
        )
        sessions.append(session)
    rehearsal = call_api(
        "POST",
        f"{visits}/occasions",
        worker,
        json={"community": C01, "title": "舞蹈队排练", "category": "dance",
              "held_on": (today - timedelta(days=3)).isoformat(), "team_id": teams[0]["team_id"],
              "venue_id": room["venue_id"]},
    )  # fmt: skip
    dancers = {"people": [{"elder_id": e} for e in elders[:6]]}
    call_api(
        "POST", f"{visits}/occasions/{rehearsal['occasion_id']}/attendance", worker, json=dancers
    )
    call_api(
        "POST",
        f"{visits}/occasions",
        worker,
        json={"community": C01, "title": "老少同乐联欢会", "category": "intergenerational",
              "held_on": (today - timedelta(days=10)).isoformat(), "head_count": 85},
    )  # fmt: skip
    patrol = teams[2]
    for days_ago, elder_id, hours in (
        (1, elders[12], 2.0),
        (2, elders[13], 1.5),
        (8, elders[12], 3.0),
    ):
        call_api(
            "POST",
            f"{visits}/volunteer-service",
            worker,
            json={"community": C01, "elder_id": elder_id, "service": "public_order",
                  "served_on": (today - timedelta(days=days_ago)).isoformat(), "hours": hours,
                  "team_id": patrol["team_id"]},
        )  # fmt: skip
    for elder_id, post, detail in ((elders[14], "group_leader", None),
                                   (elders[15], "class_pairing", "实验小学三(2)班")):  # fmt: skip
        call_api(
            "POST",
            f"{visits}/community-posts",
            head,
            json={"community": C01, "elder_id": elder_id, "post": post, "detail": detail},
        )
    return {
        "course_id": course["course_id"],
        "team_id": teams[0]["team_id"],
        "occasion_id": rehearsal["occasion_id"],
    }
