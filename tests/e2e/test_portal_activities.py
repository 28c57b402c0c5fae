"""Browser test of learning and activities through every part of the system: a course of the
test's own community with two elders enrolled (visits' API, as the head keeps it); a worker,
on a phone, holds today's session and ticks who came; then one of the elders dies (intake's
API), visits ends her membership of a team from intake's event, the list of a later activity
no longer offers her, and ticking her there is refused with the day she died."""

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
    browser.find_element(By.ID, "record-attendance").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".notice-success")))
    assert text(browser, "#came-count") == "已勾选 1 人到场。"
    ticked = browser.find_element(By.CSS_SELECTOR, f"[data-person='{first}'] input")
    assert ticked.is_selected() and not ticked.is_enabled()

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
    browser.find_element(By.CSS_SELECTOR, f"#elder_id option[value='{elder['elder_id']}']").click()
    browser.find_element(By.ID, "take-in").click()
    row = f"#members tr[data-person='elder:{elder['elder_id']}']"
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, row)))
    browser.find_element(By.CSS_SELECTOR, f"{row} input[name='reason']").send_keys("搬去女儿家")
    browser.find_element(By.CSS_SELECTOR, f"{row} button").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".notice-success")))
    assert "搬去女儿家" in text(browser, f"{row} [data-column='left']")

    browser.find_element(By.CSS_SELECTOR, ".back a").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "open-venue")))
    browser.find_element(By.ID, "venue_name").send_keys("老年活动室")
    browser.find_element(By.ID, "area_m2").send_keys("45")
    browser.find_element(By.ID, "open-venue").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".notice-success")))
    assert "老年活动室" in text(browser, "#venues")
    assert text(browser, "#teams tr[data-team] [data-column='members']") == "0"
