"""Workload 9: a year of learning, activities and teams of the imported district, recorded
through visits' API as its community heads and workers would: in each community two venues,
five culture and sports teams and five volunteer service teams of eight members (290 teams,
145 of them volunteer teams, in 29 communities), two courses of twenty with six sessions each,
two activities with named attendance and one open event, and ten records of volunteer service.
Then the year's statistics (`GET /reports/activities`) read by 8 users at once; beside it,
plain pymongo reading the same records from as many threads."""

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

from pymongo import MongoClient

from bench.http import Client
from bench.raw import concurrent_rate
from bench.stack import Stack
from services.intake.entrypoints.demo_district import communities

CULTURE = ("dance", "singing", "taichi", "chess_cards", "calligraphy")
VOLUNTEER = ("policy_publicity", "public_order", "legal_advice", "fitness", "family_planning")
MEMBERS, ENROLLED, SESSIONS, NAMED, HEADS = 8, 20, 6, 25, 100
COURSES = (("elder_university", "calligraphy"), ("tv_university", "health"))
USERS = 8
TARGET_P95_MS = 300
COLLECTIONS = (
    "teams",
    "courses",
    "occasions",
    "service_hours",
    "venues",
    "community_posts",
)


def run(stack: Stack, community_count: int, seconds: float) -> dict[str, Any]:
    year = date.today().year - 1  # every day of it is past: attendance may be taken
    codes = [c["code"] for c in communities()][:community_count]
    started = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        recorded = list(pool.map(lambda code: _community_year(stack, code, year), codes))
    elapsed = time.perf_counter() - started
    requests = sum(r["requests"] for r in recorded)
    expected = sum(r["person_times"] for r in recorded)
    period = f"/reports/activities?first={year}-01-01&last={year}-12-31"
    users = [Client(stack.api("visits"), stack.tokens["admin"]) for _ in range(USERS)]
    try:
        found = users[0].get_json(period)
        reads = concurrent_rate(lambda i: users[i % USERS].get_json(period), USERS, seconds)
    finally:
        for user in users:
            user.close()
    district = found["district"]
    return {
        "communities": len(codes),
        "year": year,
        "requests": requests,
        "record_seconds": round(elapsed, 1),
        "requests_per_s": round(requests / elapsed, 1),
        "teams": district["teams"]["total"]["teams"],
        "volunteer_teams": sum(
            district["teams"]["by_kind"].get(k, {}).get("teams", 0)
            for k in ("volunteer_service", "party_volunteer")
        ),
        "person_times": district["person_times"],
        "expected_person_times": expected,
        "exact": district["person_times"] == expected,
        "statistics": reads,
        "target_p95_ms": TARGET_P95_MS,
    }


def raw_reads(stack: Stack, seconds: float) -> dict[str, Any]:
    """Plain pymongo reading every record the statistics count, from as many threads."""
    mongo: MongoClient[dict[str, Any]] = MongoClient(stack.store("visits"), maxPoolSize=USERS)
    db = mongo["eldercare_visits"]

    def read_all(_: int) -> None:
        for name in COLLECTIONS:
            for _document in db[name].find({}):
                pass

    try:
        return concurrent_rate(read_all, USERS, seconds)
    finally:
        mongo.close()


def _community_year(stack: Stack, code: str, year: int) -> dict[str, int]:
    """One community's year; the requests made and the person-times recorded."""
    head = Client(stack.api("visits"), stack.tokens["admin"])
    counted = {"requests": 0, "person_times": 0}

    def post(path: str, body: dict[str, Any], want: int = 201) -> dict[str, Any]:
        status, answer = head.post_json(path, body)
        counted["requests"] += 1
        if status != want:
            raise RuntimeError(f"POST {path}: {status} {answer}")
        return answer

    try:
        elders = _elders(head, code)
        day = date(year, 1, 1)
        room = post(
            "/venues",
            {"community": code, "kind": "activity_room", "name": "活动室", "area_m2": 60,
             "capacity": 60, "opened_on": day.isoformat()},
        )  # fmt: skip
        post("/venues", {"community": code, "kind": "reading_room", "name": "阅览室",
                         "periodicals": 8, "opened_on": day.isoformat()})  # fmt: skip
        teams = []
        for n, (kind, activity) in enumerate(
            [
                *(("culture_sports", a) for a in CULTURE),
                *(("volunteer_service", s) for s in VOLUNTEER),
            ]
        ):
            team = post(
                "/teams",
                {"community": code, "kind": kind, "activity": activity, "name": f"{activity}队",
                 "founded_on": day.isoformat()},
            )  # fmt: skip
            for elder_id in _some(elders, n, MEMBERS):
                post(f"/teams/{team['team_id']}/members", {"elder_id": elder_id,
                     "joined_on": f"{year}-01-02"}, 200)  # fmt: skip
            teams.append(team)
        for n, (organiser, category) in enumerate(COURSES):
            course = post(
                "/courses",
                {"community": code, "organiser": organiser, "kind": "course",
                 "category": category, "name": f"{category}班", "starts_on": f"{year}-03-01",
                 "ends_on": f"{year}-06-30", "capacity": 30, "venue_id": room["venue_id"]},
            )  # fmt: skip
            pupils = _some(elders, 3 * n, ENROLLED)
            for elder_id in pupils:
                post(f"/courses/{course['course_id']}/enrolments", {"elder_id": elder_id,
                     "enrolled_on": f"{year}-03-01"}, 200)  # fmt: skip
            for week in range(SESSIONS):
                held = date(year, 3, 2) + timedelta(weeks=week, days=n)
                session = post(f"/courses/{course['course_id']}/sessions",
                               {"held_on": held.isoformat()})  # fmt: skip
                people = [{"elder_id": e} for e in pupils]
                post(f"/occasions/{session['occasion_id']}/attendance", {"people": people}, 200)
                counted["person_times"] += len(pupils)
        for n in range(2):
            held = date(year, 9, 9 + n)
            gathering = post(
                "/occasions",
                {"community": code, "title": "重阳联欢", "category": "singing",
                 "held_on": held.isoformat(), "team_id": teams[1]["team_id"],
                 "venue_id": room["venue_id"]},
            )  # fmt: skip
            came = _some(elders, 7 * n, NAMED)
            people = [{"elder_id": e} for e in came]
            post(f"/occasions/{gathering['occasion_id']}/attendance", {"people": people}, 200)
            counted["person_times"] += len(came)
        post("/occasions", {"community": code, "title": "老年人体育运动会", "category": "sports",
                            "held_on": f"{year}-10-10", "head_count": HEADS})  # fmt: skip
        counted["person_times"] += HEADS
        for n in range(10):
            post("/volunteer-service", {"elder_id": elders[n % len(elders)], "community": code,
                 "service": VOLUNTEER[n % len(VOLUNTEER)], "served_on": f"{year}-05-{n + 1:02d}",
                 "hours": 2.5, "team_id": teams[5 + n % 5]["team_id"]})  # fmt: skip
    finally:
        head.close()
    return counted


def _elders(client: Client, code: str) -> list[str]:
    page = client.get_json(f"/elders?community={code}&page_size=100")
    found = [e["elder_id"] for e in page["items"] if e["status"] == "active"]
    if len(found) < ENROLLED:
        raise RuntimeError(f"{code} has {len(found)} active elders, fewer than {ENROLLED}")
    return found


def _some(elders: list[str], start: int, count: int) -> list[str]:
    """`count` different elders, from `start` on, round the list."""
    return [elders[(start + k) % len(elders)] for k in range(min(count, len(elders)))]
