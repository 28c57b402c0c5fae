"""Browser test of learning and activities through every part of the system: a course of the
test's own community with two elders enrolled (visits' API, as the head keeps it); a worker,
on a phone, holds today's session and ticks who came; then one of the elders dies (intake's
API), visits ends her membership of a team from intake's event, the list of a later activity
no longer offers her, and ticking her there is refused with the day she died. The elder's page
and the activity figures show what was ticked; the head keeps teams and venues and sees them
counted."""

import uuid
from datetime import date, datetime, timedelta

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from test_portal_reorganisation import with_communities
from workbench import (
    ADMIN,
    CLERK,
    PHONE,
    ZONE,
    error_summary_links,
    eventually,
    needs_chromium,
    on_a_phone,
    pressed,
    registered,
    sign_in,
    text,
    unlabelled_inputs,
    wait,
)

pytestmark = needs_chromium
PASSWORD = "a long enough password"


def made(url: str, body: dict, status: int = 201) -> dict:
    answer = requests.post(url, json=body, headers=ADMIN, timeout=10)
    assert answer.status_code == status, answer.text
    return answer.json()


def test_a_worker_ticks_a_session_on_a_phone_and_a_death_ends_what_the_elder_took_part_in(
    browser, workbench
):
    visits = workbench["visits"]
    with_communities(workbench, ("a01", "学习试点社区"))
    today = datetime.now(ZONE).date()
    elders = [
        registered(workbench, name, born, community="a01")
        for name, born in (("学大娘", date(1948, 4, 5)), ("学大爷", date(1946, 7, 8)))
    ]
    for elder in elders:
        known = f"{visits}/elders/{elder['elder_id']}"
        assert eventually(lambda: requests.get(known, headers=ADMIN, timeout=10).ok)  # noqa: B023
    month = {
        "starts_on": (today - timedelta(days=30)).isoformat(),
        "ends_on": (today + timedelta(days=30)).isoformat(),
    }
    course = made(
        f"{visits}/courses",
        {"community": "a01", "organiser": "elder_university", "kind": "course",
         "category": "calligraphy", "name": "书法班", "capacity": 5, **month},
    )  # fmt: skip
    team = made(
        f"{visits}/teams",
        {"community": "a01", "kind": "culture_sports", "activity": "dance", "name": "舞蹈队",
         "founded_on": (today - timedelta(days=60)).isoformat()},
    )  # fmt: skip
    since = (today - timedelta(days=20)).isoformat()
    for elder in elders:
        person = {"elder_id": elder["elder_id"]}
        made(
            f"{visits}/courses/{course['course_id']}/enrolments",
            {**person, "enrolled_on": since},
            200,
        )
        made(f"{visits}/teams/{team['team_id']}/members", {**person, "joined_on": since}, 200)

    worker = f"learner-{uuid.uuid4().hex[:6]}"
    account = {"username": worker, "password": PASSWORD, "roles": ["visitor"], "community": "a01"}
    made(f"{workbench['intake']}/users", account)
    on_a_phone(browser)
    sign_in(
        browser,
        {**workbench, "passwords": {**workbench["passwords"], worker: PASSWORD}},
        worker,
        "/activities",
    )
    assert unlabelled_inputs(browser) == []
    browser.find_element(By.CSS_SELECTOR, f"[data-course='{course['course_id']}'] a").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "hold-session")))
    browser.find_element(By.ID, "hold-session").click()  # today's, as the form offers
    wait(browser).until(ready.presence_of_element_located((By.ID, "record-attendance")))
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"the attendance list is {width}px wide on a {PHONE[0]}px phone"
    browser.find_element(By.ID, "record-attendance").click()  # no one ticked
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert "people" in error_summary_links(browser)
    first = f"elder:{elders[0]['elder_id']}"
    browser.find_element(By.CSS_SELECTOR, f"[data-person='{first}'] input").click()
    pressed(browser, browser.find_element(By.ID, "record-attendance"))
    assert text(browser, "#came-count") == "已勾选 1 人到场。"
    ticked = browser.find_element(By.CSS_SELECTOR, f"[data-person='{first}'] input")
    assert ticked.is_selected() and not ticked.is_enabled()

    # her page shows her team, her course and the session she came to; the figures count it
    browser.get(f"{workbench['portal']}/elders/{elders[0]['elder_id']}")
    wait(browser).until(ready.presence_of_element_located((By.ID, "elder-activities")))
    assert "舞蹈队" in text(browser, "#elder-teams") and "书法班" in text(browser, "#elder-courses")
    assert text(browser, "#elder-attended") == "1"
    browser.get(f"{workbench['portal']}/activities/figures")
    wait(browser).until(ready.presence_of_element_located((By.ID, "headline")))
    assert text(browser, "#headline-person-times") == "1"
    sessions = "#person-times-table tr[data-community='a01'] [data-column='sessions']"
    assert text(browser, sessions) == "1"
    download = browser.find_element(By.ID, "figures-download").get_attribute("href")
    assert "community=a01" in download and f"first={today.year}-01-01" in download

    # she dies; visits hears it from intake, and her team membership ends that day
    died_on = today - timedelta(days=1)
    record = requests.get(
        f"{workbench['intake']}/elders/{elders[1]['elder_id']}", headers=CLERK, timeout=10
    )
    death = {"version": record.json()["version"], "died_on": died_on.isoformat()}
    reported = requests.post(
        f"{workbench['intake']}/elders/{elders[1]['elder_id']}/death",
        json=death,
        headers=CLERK,
        timeout=10,
    )
    assert reported.status_code == 200, reported.text

    def left() -> str | None:
        found = requests.get(f"{visits}/teams/{team['team_id']}", headers=ADMIN, timeout=10).json()
        return next(
            m["left_on"] for m in found["members"] if m["elder_id"] == elders[1]["elder_id"]
        )

    assert eventually(left, timeout=90) == died_on.isoformat()
    browser.get(f"{workbench['portal']}/activities?community=a01")
    browser.find_element(By.ID, "title").send_keys("舞蹈队排练")
    browser.find_element(By.CSS_SELECTOR, "#category option[value='dance']").click()
    browser.execute_script(
        "document.getElementById('held_on').value = arguments[0]", today.isoformat()
    )
    browser.find_element(By.CSS_SELECTOR, f"#team_id option[value='{team['team_id']}']").click()
    browser.find_element(By.ID, "record-activity").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "record-attendance")))
    gone = f"elder:{elders[1]['elder_id']}"
    offered = {
        e.get_attribute("data-person")
        for e in browser.find_elements(By.CSS_SELECTOR, "[data-person]")
    }
    assert first in offered and gone not in offered  # the team's, and the living
    occasion_id = browser.current_url.rsplit("/", 1)[1]
    refused = requests.post(
        f"{visits}/occasions/{occasion_id}/attendance",
        json={"people": [{"elder_id": elders[0]["elder_id"]}, {"elder_id": elders[1]["elder_id"]}]},
        headers=ADMIN,
        timeout=10,
    )
    assert (
        refused.status_code == 422 and f"died on {died_on.isoformat()}" in refused.json()["detail"]
    )
    held = requests.get(f"{visits}/occasions/{occasion_id}", headers=ADMIN, timeout=10).json()
    assert held["attendance"] == []  # all of a tick, or none of it


def test_the_head_forms_a_team_takes_an_elder_in_lets_her_go_and_opens_a_venue(browser, workbench):
    with_communities(workbench, ("a02", "队伍试点社区"))
    elder = registered(workbench, "队大娘", date(1949, 9, 9), community="a02")
    known = f"{workbench['visits']}/elders/{elder['elder_id']}"
    assert eventually(lambda: requests.get(known, headers=ADMIN, timeout=10).ok)
    head = f"head-{uuid.uuid4().hex[:6]}"
    account = {
        "username": head,
        "password": PASSWORD,
        "roles": ["community_head"],
        "community": "a02",
    }
    made(f"{workbench['intake']}/users", account)
    passwords = {**workbench["passwords"], head: PASSWORD}
    sign_in(browser, {**workbench, "passwords": passwords}, head, "/activities/teams")
    assert unlabelled_inputs(browser) == []
    browser.find_element(By.ID, "form-team").click()  # nothing said of the team
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert {"activity", "name"} <= set(error_summary_links(browser))
    browser.find_element(By.CSS_SELECTOR, "#activity option[value='taichi']").click()
    browser.find_element(By.ID, "name").send_keys("太极拳队")
    browser.find_element(By.ID, "form-team").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "take-in")))
    assert text(browser, "h1") == "太极拳队"
    search = browser.find_element(By.ID, "name")  # found by name, the list swapped in place
    search.send_keys("无此人")
    wait(browser).until(lambda b: "无此人" in text(b, "#joining"))
    search.clear()
    search.send_keys("大娘")
    chosen = f"#joining input[name='elder_id'][value='{elder['elder_id']}']"
    wait(browser).until(ready.element_to_be_clickable((By.CSS_SELECTOR, chosen))).click()
    browser.find_element(By.ID, "take-in").click()
    row = f"#members tr[data-person='elder:{elder['elder_id']}']"
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, row)))
    browser.find_element(By.CSS_SELECTOR, f"{row} input[name='reason']").send_keys("搬去女儿家")
    pressed(browser, browser.find_element(By.CSS_SELECTOR, f"{row} button"))
    assert "搬去女儿家" in text(browser, f"{row} [data-column='left']")

    browser.find_element(By.CSS_SELECTOR, ".back a").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "open-venue")))
    browser.find_element(By.ID, "venue_name").send_keys("老年活动室")
    browser.find_element(By.ID, "area_m2").send_keys("45")
    pressed(browser, browser.find_element(By.ID, "open-venue"))
    assert "老年活动室" in text(browser, "#venues")
    assert text(browser, "#teams tr[data-team] [data-column='members']") == "0"

    # the head's figures: the team and the venue of the year, and a period back to front refused
    browser.find_element(By.LINK_TEXT, "活动统计").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "teams-table")))
    row = "tr[data-community='a02']"
    assert text(browser, f"#teams-table {row} [data-column='culture_sports']") == "1"
    assert text(browser, f"#venues-table {row} [data-column='area_m2']") == "45.0"
    assert browser.find_elements(By.CSS_SELECTOR, "#teams-chart [data-community='a02'] rect")
    browser.execute_script(
        "document.getElementById('first').value = '2026-06-30';"
        "document.getElementById('last').value = '2026-06-01';"
    )
    browser.find_element(By.ID, "show-period").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert "last" in error_summary_links(browser)


def test_the_head_plans_a_course_enrols_elders_found_by_name_within_its_places(browser, workbench):
    with_communities(workbench, ("a03", "课程试点社区"))
    elders = [
        registered(workbench, name, born, community="a03")
        for name, born in (("课大娘", date(1950, 1, 2)), ("课大爷", date(1947, 5, 6)))
    ]
    for elder in elders:
        known = f"{workbench['visits']}/elders/{elder['elder_id']}"
        assert eventually(lambda: requests.get(known, headers=ADMIN, timeout=10).ok)  # noqa: B023
    head = f"head-{uuid.uuid4().hex[:6]}"
    account = {
        "username": head,
        "password": PASSWORD,
        "roles": ["community_head"],
        "community": "a03",
    }
    made(f"{workbench['intake']}/users", account)
    passwords = {**workbench["passwords"], head: PASSWORD}
    sign_in(browser, {**workbench, "passwords": passwords}, head, "/activities/courses")
    assert unlabelled_inputs(browser) == []
    browser.find_element(By.ID, "plan-course").click()  # nothing said of the course
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert {"category", "name", "starts_on", "ends_on"} <= set(error_summary_links(browser))
    today = datetime.now(ZONE).date()
    browser.find_element(By.CSS_SELECTOR, "#category option[value='calligraphy']").click()
    browser.find_element(By.ID, "name").send_keys("书法班")
    browser.execute_script(
        "document.getElementById('starts_on').value = arguments[0];"
        "document.getElementById('ends_on').value = arguments[1];",
        (today - timedelta(days=7)).isoformat(),
        (today + timedelta(days=60)).isoformat(),
    )
    browser.find_element(By.ID, "capacity").send_keys("1")
    browser.find_element(By.ID, "plan-course").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "enrol")))
    assert text(browser, "h1") == "书法班"

    def enrol(elder: dict, shows: str = ".notice-success") -> None:
        search = browser.find_element(By.ID, "name")
        search.clear()
        search.send_keys(elder["name"])
        chosen = f"#joining input[name='elder_id'][value='{elder['elder_id']}']"
        wait(browser).until(ready.element_to_be_clickable((By.CSS_SELECTOR, chosen))).click()
        pressed(browser, browser.find_element(By.ID, "enrol"), shows)

    enrol(elders[0])
    assert text(browser, "#enrolled") == "已报名 1 人 · 共 1 个名额"
    enrol(elders[1], ".error-summary")  # past the course's one place
    assert "名额" in text(browser, ".error-summary")
    row = f"#enrolments tr[data-person='elder:{elders[0]['elder_id']}']"
    browser.find_element(By.CSS_SELECTOR, f"{row} input[name='reason']").send_keys("身体不适")
    pressed(browser, browser.find_element(By.CSS_SELECTOR, f"{row} button"))
    assert "身体不适" in text(browser, f"{row} [data-column='left']")
    enrol(elders[1])  # her place is free again
    assert text(browser, "#enrolled") == "已报名 1 人 · 共 1 个名额"
    browser.find_element(By.CSS_SELECTOR, ".back a").click()
    listed = wait(browser).until(
        ready.presence_of_element_located((By.CSS_SELECTOR, "#courses [data-column='enrolled']"))
    )
    assert listed.text.strip() == "1 / 1"


def test_a_worker_records_hours_of_service_and_the_head_an_elders_post(browser, workbench):
    with_communities(workbench, ("a04", "服务试点社区"))
    visits = workbench["visits"]
    elder = registered(workbench, "岗大娘", date(1951, 3, 4), community="a04")
    helper = requests.post(
        f"{workbench['intake']}/volunteers",
        json={"name": "小志愿", "community": "a04", "skills": ["法律咨询"]},
        headers=CLERK,
        timeout=10,
    )
    assert helper.status_code == 201, helper.text
    volunteer = helper.json()["volunteer_id"]
    known = f"{visits}/elders/{elder['elder_id']}"
    assert eventually(lambda: requests.get(known, headers=ADMIN, timeout=10).ok)
    patrol = made(
        f"{visits}/teams",
        {"community": "a04", "kind": "volunteer_service", "activity": "public_order",
         "name": "治安巡逻队"},
    )  # fmt: skip
    made(f"{visits}/teams/{patrol['team_id']}/members", {"elder_id": elder["elder_id"]}, 200)
    members = f"{visits}/teams/{patrol['team_id']}/members"
    joins = {"volunteer_id": volunteer}  # taken once visits has heard of her from intake
    assert eventually(
        lambda: requests.post(members, json=joins, headers=ADMIN, timeout=10).status_code == 200
    )
    head = f"head-{uuid.uuid4().hex[:6]}"
    account = {
        "username": head,
        "password": PASSWORD,
        "roles": ["community_head"],
        "community": "a04",
    }
    made(f"{workbench['intake']}/users", account)
    passwords = {**workbench["passwords"], head: PASSWORD}
    sign_in(browser, {**workbench, "passwords": passwords}, head, "/activities")
    browser.find_element(By.ID, "volunteer-service").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "record-service")))
    assert unlabelled_inputs(browser) == []
    offered = {
        o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "#person option")
    }
    assert {f"elder:{elder['elder_id']}", f"volunteer:{volunteer}"} <= offered
    browser.find_element(By.ID, "hours").clear()
    browser.find_element(By.ID, "record-service").click()  # no one, no service, no hours
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert {"person", "service", "hours"} <= set(error_summary_links(browser))

    def serve(person: str, service: str, hours: str, shows: str = ".notice-success") -> None:
        browser.find_element(By.CSS_SELECTOR, f"#person option[value='{person}']").click()
        browser.find_element(By.CSS_SELECTOR, f"#service option[value='{service}']").click()
        browser.find_element(By.ID, "hours").clear()
        browser.find_element(By.ID, "hours").send_keys(hours)
        pressed(browser, browser.find_element(By.ID, "record-service"), shows)

    visits_known = f"{visits}/volunteer-service"
    serve(f"volunteer:{volunteer}", "legal_advice", "1.5")
    assert text(browser, "#hours [data-column='hours']") == "1.5"
    serve(
        f"elder:{elder['elder_id']}", "public_order", "0.7", ".error-summary"
    )  # not in half hours
    assert "hours" in error_summary_links(browser)
    served = requests.get(visits_known, params={"community": "a04"}, headers=ADMIN, timeout=10)
    assert [(h["name"], h["hours"]) for h in served.json()["items"]] == [("小志愿", 1.5)]

    search = browser.find_element(By.ID, "name")
    search.send_keys("岗大")
    chosen = f"#joining input[name='elder_id'][value='{elder['elder_id']}']"
    wait(browser).until(ready.element_to_be_clickable((By.CSS_SELECTOR, chosen))).click()
    browser.find_element(By.CSS_SELECTOR, "#post option[value='class_pairing']").click()
    browser.find_element(By.ID, "detail").send_keys("实验小学三(2)班")
    pressed(browser, browser.find_element(By.ID, "take-post"))
    assert "实验小学三(2)班" in text(browser, "#posts")
    pressed(browser, browser.find_element(By.CSS_SELECTOR, "#posts button"))
    assert "实验小学三(2)班" not in text(browser, "#posts")
