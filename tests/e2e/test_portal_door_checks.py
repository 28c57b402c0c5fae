"""Browser test of a door-to-door check (入户走访，核对信息) through every part of the system: a
round planned and launched on the workbench's Campaigns page; its visit recorded on the
workbench with what was found wrong at the door (a value the register does not take told
beside the facts); the correction carried by Kafka to intake, which puts it on the record; the
elder's page saying when the facts were last checked, and by whom, and the worker's worklist
that they never were before; the register searched for those not checked since a day; the
round's progress by community and by building. The elder lives in a community of the test's
own, so that no other test's worklist holds the round."""

import uuid
from datetime import date, datetime, timedelta

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select
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
    sign_out,
    text,
    type_date,
    unlabelled_inputs,
    wait,
)

pytestmark = needs_chromium
PASSWORD = "a long enough password"


def launched_round(browser, community: str) -> str:
    """The administrator plans a round of door checks of one community, and launches it."""
    browser.find_element(By.ID, "name").send_keys(f"入户核对 {uuid.uuid4().hex[:6]}")
    due = datetime.now(ZONE).date()  # due today: on the worker's worklist whatever the weekday
    type_date(browser, browser.find_element(By.ID, "due_on"), due)
    browser.find_element(By.ID, f"communities-{community}").click()
    browser.find_element(By.ID, "plan-campaign").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "launch")))
    pressed(browser, browser.find_element(By.ID, "launch"))
    assert "1" in text(browser, ".notice-success")
    assert text(browser, "[data-figure='targeted']") == "1"
    return browser.current_url.rsplit("/", 1)[1]


def test_a_door_check_on_the_workbench_corrects_the_record_in_intake(browser, workbench):
    with_communities(workbench, ("d01", "核对试点社区"))
    elder = registered(workbench, "核大爷", date(1946, 2, 3), community="d01", phone="13800000001")
    elder_id = elder["elder_id"]
    known = f"{workbench['visits']}/elders/{elder_id}"
    assert eventually(lambda: requests.get(known, headers=ADMIN, timeout=10).status_code == 200)
    checker = f"checker-{uuid.uuid4().hex[:6]}"  # the community's worker, who calls
    account = {"username": checker, "password": PASSWORD, "roles": ["visitor"], "community": "d01"}
    made = requests.post(f"{workbench['intake']}/users", json=account, headers=ADMIN, timeout=10)
    assert made.status_code == 201, made.text
    configured = f"{workbench['visits']}/config/communities/d01"
    staffing = {"worker": checker, "head": "head"}
    assert requests.put(configured, json=staffing, headers=ADMIN, timeout=10).status_code == 200
    sign_in(browser, workbench, "admin", "/campaigns")
    assert unlabelled_inputs(browser) == []
    campaign_id = launched_round(browser, "d01")
    progress_page = browser.current_url

    sign_out(browser)  # the round's visit is on the worker's worklist, never checked before
    on_a_phone(browser)
    passwords = {**workbench["passwords"], checker: PASSWORD}
    sign_in(browser, {**workbench, "passwords": passwords}, checker, "/worklist")
    card = f"[data-obligation='campaign:{campaign_id}:{elder_id}']"
    assert "从未入户核对" in text(browser, f"{card} .card-checked")
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"the worklist is {width}px wide on a {PHONE[0]}px phone"
    sign_out(browser)
    sign_in(browser, workbench, "admin", "/")  # the worker records the check at the door
    form = f"/elders/{elder_id}/visits/new?meets=campaign:{campaign_id}:{elder_id}"
    browser.get(workbench["portal"] + form)
    assert unlabelled_inputs(browser) == []
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"the door check is {width}px wide on a {PHONE[0]}px phone"
    assert "入户核对" in text(browser, "#facts")
    phone = browser.find_element(By.ID, "fact_phone")
    phone.send_keys("打这个")
    browser.find_element(By.ID, "record-visit").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert "facts" in error_summary_links(browser)

    phone = browser.find_element(By.ID, "fact_phone")
    phone.clear()
    phone.send_keys("13912345678")
    Select(browser.find_element(By.ID, "fact_party_member")).select_by_value("yes")
    pressed(browser, browser.find_element(By.ID, "record-visit"))

    record = f"{workbench['intake']}/elders/{elder_id}"

    def corrected() -> dict | None:
        found = requests.get(record, headers=CLERK, timeout=10).json()
        return found if found.get("last_checked") else None

    stored = eventually(corrected, timeout=90)
    assert stored, "intake did not put the door check on the record"
    assert stored["phone"] == "13912345678"
    assert stored["circumstances"]["party_member"] is True
    assert stored["last_checked"]["by"] == "admin"
    assert stored["last_checked"]["campaign_id"] == campaign_id
    assert stored["last_checked"]["corrected"] == ["party_member", "phone"]

    browser.get(f"{workbench['portal']}/elders/{elder_id}")
    said = text(browser, "#last-checked")
    assert "admin" in said and "联系电话" in said and "党员" in said

    today = date.fromisoformat(stored["last_checked"]["checked_on"])
    seen = eventually(
        lambda: requests.get(known, headers=ADMIN, timeout=10).json()["last_checked_on"]
    )
    assert seen == today.isoformat(), "visits did not learn of the check"
    for since, found in ((today, 0), (today + timedelta(days=1), 1)):
        browser.get(
            f"{workbench['portal']}/elders?community=d01&not_checked_since={since.isoformat()}"
        )
        assert text(browser, "#results-title") == f"找到 {found} 位老年人", since
    browser.get(progress_page)
    assert text(browser, "[data-figure='met']") == "1"
    assert text(browser, "#by-community tr[data-community='d01'] [data-column='met']") == "1"
    assert text(browser, "#by-building tr[data-cell='unplaced'] [data-column='met']") == "1"
