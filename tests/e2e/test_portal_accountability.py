"""Browser tests of accountability: the community head records a complaint about a worker;
the worker it concerns cannot answer it (said in Chinese); the head answers and closes it, and
the year's counts on the page say so. The district records an inspection whose correction is
overdue: it is escalated on the head's community page, and the head puts it right. A help
request is referred to a legal helper and relief raised for the elder is handed over, in yuan
to the fen, never more than is held. The head sets the year's targets and sees the progress."""

import uuid
from datetime import date, datetime, timedelta

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from test_portal_reorganisation import with_communities
from workbench import (
    ADMIN,
    VISITOR,
    ZONE,
    error_summary_links,
    eventually,
    needs_chromium,
    pressed,
    registered,
    sign_in,
    text,
    unlabelled_inputs,
    wait,
)

pytestmark = needs_chromium
PASSWORD = "a long enough password"


def account(workbench: dict, role: str, community: str) -> str:
    username = f"{role.split('_')[-1]}-{uuid.uuid4().hex[:6]}"
    body = {"username": username, "password": PASSWORD, "roles": [role], "community": community}
    made = requests.post(f"{workbench['intake']}/users", json=body, headers=ADMIN, timeout=10)
    assert made.status_code == 201, made.text
    return username


def head_of(workbench: dict, code: str, name: str) -> tuple[str, dict]:
    """A community of the test's own, and a head bound to it: the head's user name, and the
    workbench with the head's password among the others."""
    with_communities(workbench, (code, name))
    head = account(workbench, "community_head", code)
    return head, {**workbench, "passwords": {**workbench["passwords"], head: PASSWORD}}


def test_a_complaint_about_a_worker_is_answered_by_the_head_not_by_the_worker(browser, workbench):
    with_communities(workbench, ("a05", "投诉试点社区"))
    registered(workbench, "诉大娘", date(1950, 6, 7), community="a05")
    head = account(workbench, "community_head", "a05")
    worker = account(workbench, "visitor", "a05")
    passwords = {**workbench["passwords"], head: PASSWORD, worker: PASSWORD}
    staff = {**workbench, "passwords": passwords}
    sign_in(browser, staff, head, "/complaints")
    assert unlabelled_inputs(browser) == []
    browser.find_element(By.ID, "record-complaint").click()  # nothing said
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    browser.find_element(By.ID, "about").send_keys("走访员")
    browser.find_element(By.ID, "description").send_keys("说好周二来，没有来")
    browser.find_element(By.ID, "worker").send_keys(worker)
    pressed(browser, browser.find_element(By.ID, "record-complaint"))
    card = browser.find_element(By.CSS_SELECTOR, "#open-complaints [data-complaint]")
    assert "说好周二来" in card.text and worker in card.text
    complaint_id = card.get_attribute("data-complaint")
    browser.delete_all_cookies()

    sign_in(browser, staff, worker, "/complaints")
    card = f"#open-complaints [data-complaint='{complaint_id}']"
    browser.find_element(By.CSS_SELECTOR, f"{card} input[name='answer']").send_keys("已解释")
    browser.find_element(By.CSS_SELECTOR, f"{card} button").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".notice-warning")))
    assert "须由他人答复" in text(browser, ".notice-warning")
    assert browser.find_elements(By.CSS_SELECTOR, card)  # still open
    browser.delete_all_cookies()

    sign_in(browser, staff, head, "/complaints")
    browser.find_element(By.CSS_SELECTOR, f"{card} input[name='answer']").send_keys("已道歉并补访")
    pressed(browser, browser.find_element(By.CSS_SELECTOR, f"{card} button"))
    assert not browser.find_elements(By.CSS_SELECTOR, card)
    assert "已道歉并补访" in text(browser, "#closed-complaints")
    assert text(browser, "#complaint-counts").startswith("收到 1 件：按时答复 1 件")


def test_an_overdue_correction_reaches_the_heads_page_until_it_is_put_right(browser, workbench):
    head, staff = head_of(workbench, "a06", "整改试点社区")
    today = datetime.now(ZONE).date()
    sign_in(browser, workbench, "admin", "/inspections")
    assert unlabelled_inputs(browser) == []
    browser.find_element(By.ID, "record-inspection").click()  # nothing said
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    browser.find_element(By.CSS_SELECTOR, "#community option[value='a06']").click()
    browser.execute_script(
        "document.getElementById('inspected_on').value = arguments[0]",
        (today - timedelta(days=10)).isoformat(),
    )
    browser.find_element(By.ID, "inspectors").send_keys("街道驻片工作组")
    browser.find_element(By.ID, "findings").send_keys("重点对象名单三个月未更新")
    due = (today - timedelta(days=2)).isoformat()
    browser.find_element(By.ID, "corrections").send_keys(f"更新重点对象名单 {due}\n张贴服务项目")
    pressed(browser, browser.find_element(By.ID, "record-inspection"))
    overdue = browser.find_elements(By.CSS_SELECTOR, "#open-corrections .card-overdue")
    assert any("更新重点对象名单" in card.text for card in overdue)
    browser.delete_all_cookies()

    sign_in(browser, staff, head, "/communities/a06")
    escalated = browser.find_elements(By.CSS_SELECTOR, "#escalations [data-correction]")
    assert [e.text.split("\n")[0] for e in escalated] == ["整改逾期：更新重点对象名单"]
    escalated = escalated[0]
    escalated.find_element(By.TAG_NAME, "a").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "open-corrections")))
    card = "#open-corrections .card-overdue"
    browser.find_element(By.CSS_SELECTOR, f"{card} input[name='how']").send_keys("已更新并报街道")
    pressed(browser, browser.find_element(By.CSS_SELECTOR, f"{card} button"))
    assert not browser.find_elements(By.CSS_SELECTOR, "#open-corrections .card-overdue")
    assert "张贴服务项目" in text(browser, "#open-corrections")  # the other, due later


def test_a_help_request_is_referred_and_relief_raised_and_handed_over_to_the_fen(
    browser, workbench
):
    elder = registered(workbench, "援大爷", date(1944, 2, 3), community="c01")
    known = f"{workbench['visits']}/elders/{elder['elder_id']}"
    assert eventually(lambda: requests.get(known, headers=ADMIN, timeout=10).ok)
    call = {"elder_id": elder["elder_id"], "channel": "hotline", "description": "房屋失火"}
    made = requests.post(
        f"{workbench['visits']}/help-requests", json=call, headers=VISITOR, timeout=10
    )
    assert made.status_code == 201, made.text
    request_id = made.json()["request_id"]
    sign_in(browser, workbench, "visitor", f"/help-requests/{request_id}")
    assert unlabelled_inputs(browser) == []
    browser.find_element(By.ID, "referred_to").send_keys("区法律援助中心")
    browser.find_element(By.ID, "reason").send_keys("赡养纠纷")
    browser.find_element(By.CSS_SELECTOR, "#kind option[value='legal_helper']").click()
    browser.find_element(By.ID, "refer").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, "[data-referral]")))
    browser.find_element(By.CSS_SELECTOR, "[data-referral] input[name='outcome']").send_keys(
        "已调解"
    )
    browser.find_element(By.CSS_SELECTOR, "[data-referral] button").click()
    wait(browser).until(
        ready.presence_of_element_located((By.CSS_SELECTOR, "[data-referral] [data-column]"))
    )
    browser.find_element(By.ID, "purpose").send_keys("火灾后重建")
    browser.find_element(By.ID, "open-relief").click()
    relief = "[data-relief]"
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, relief)))
    browser.find_element(By.CSS_SELECTOR, f"{relief} .gift-form [name='given_by']").send_keys(
        "居民"
    )
    browser.find_element(By.CSS_SELECTOR, f"{relief} .gift-form [name='amount']").send_keys(
        "2,000.50"
    )
    pressed(browser, browser.find_element(By.CSS_SELECTOR, f"{relief} .gift-form button"))
    form = f"{relief} .handover-form"
    browser.find_element(By.CSS_SELECTOR, f"{form} [name='received_by']").send_keys("老人本人")
    browser.find_element(By.CSS_SELECTOR, f"{form} [name='amount']").send_keys("3000")
    browser.find_element(By.CSS_SELECTOR, f"{form} button").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".notice-warning")))
    assert "2,000.50" in text(browser, ".notice-warning")  # what is held, in yuan
    browser.find_element(By.CSS_SELECTOR, f"{form} [name='received_by']").send_keys("老人本人")
    browser.find_element(By.CSS_SELECTOR, f"{form} [name='amount']").send_keys("2000")
    pressed(browser, browser.find_element(By.CSS_SELECTOR, f"{form} button"))
    money = text(browser, f"{relief} [data-column='money']")
    assert money == "已募集 2,000.50 元，已发放 2,000.00 元，结存 0.50 元"


def test_the_head_sets_the_years_targets_and_sees_the_progress_the_records_show(browser, workbench):
    head, staff = head_of(workbench, "a07", "计划试点社区")
    sign_in(browser, staff, head, "/communities/a07")
    browser.find_element(By.ID, "service-plan").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "save-plan")))
    assert unlabelled_inputs(browser) == []
    browser.find_element(By.ID, "target-activities").send_keys("2")
    browser.find_element(By.ID, "save-plan").click()  # no one responsible
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert "responsible-activities" in error_summary_links(browser)
    browser.find_element(By.ID, "responsible-activities").send_keys("李主任")
    pressed(browser, browser.find_element(By.ID, "save-plan"))
    row = "#plan-progress [data-measure='activities']"
    assert text(browser, f"{row} [data-column='value']") == "0"
    today = datetime.now(ZONE).date().isoformat()
    fair = {"community": "a07", "title": "重阳联欢", "category": "singing", "held_on": today}
    for _n in range(2):
        held = requests.post(
            f"{workbench['visits']}/occasions", json=fair, headers=ADMIN, timeout=10
        )
        assert held.status_code == 201, held.text
    browser.refresh()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, f"{row}.reached")))
    assert text(browser, f"{row} [data-column='value']") == "2"


def test_a_score_is_explained_by_its_records_and_the_district_weighs_and_freezes(
    browser, workbench
):
    head, staff = head_of(workbench, "a08", "考核试点社区")
    elder = registered(workbench, "考大娘", date(1946, 4, 5), community="a08")
    known = f"{workbench['visits']}/elders/{elder['elder_id']}"
    assert eventually(lambda: requests.get(known, headers=ADMIN, timeout=10).ok)
    long_ago = (datetime.now(ZONE) - timedelta(days=10)).isoformat()
    body = {"elder_id": elder["elder_id"], "trigger": "worries", "occurred_at": long_ago}
    made = requests.post(f"{workbench['visits']}/obligations", json=body, headers=ADMIN, timeout=10)
    assert made.status_code == 201, made.text
    year = made.json()["due_at"][:4]  # five days ago: the year it is judged in

    sign_in(browser, staff, head, "/communities/a08")
    browser.find_element(By.ID, "scorecard-link").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "community-scores")))
    browser.get(f"{workbench['portal']}/scorecards/a08?year={year}")
    row = "#community-scores [data-measure='must_visits_in_time']"
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, row)))
    assert text(browser, f"{row} [data-column='records']") == "0/1"
    assert text(browser, f"{row} [data-column='points']") == "0.0"
    browser.find_element(By.CSS_SELECTOR, f"{row} a").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "missed")))
    [missed] = browser.find_elements(By.CSS_SELECTOR, "#missed [data-record]")
    assert missed.get_attribute("data-record") == made.json()["obligation_id"]
    assert "有思想顾虑" in missed.text and "未走访，已过期限" in missed.text
    browser.delete_all_cookies()

    sign_in(browser, workbench, "admin", f"/scorecards?year={year}")
    assert unlabelled_inputs(browser) == []
    # visits' worker counted the year before a08 had any record: the administrator counts again
    browser.find_element(By.ID, "count-again").click()
    row = "#scorecards-table [data-community='a08']"
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, row)))
    link = browser.find_element(By.CSS_SELECTOR, f"{row} a")
    assert link.text == "考核试点社区"
    if int(year) == datetime.now(ZONE).year:
        assert not browser.find_elements(By.ID, "freeze")  # the year is not over
    weight = browser.find_element(By.ID, "weight-five_ones")
    weight.clear()
    weight.send_keys("101")
    browser.find_element(By.ID, "set-weights").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert "weight-five_ones" in error_summary_links(browser)
    weight = browser.find_element(By.ID, "weight-five_ones")
    weight.clear()
    weight.send_keys("0")
    pressed(browser, browser.find_element(By.ID, "set-weights"))
    assert browser.find_element(By.ID, "weight-five_ones").get_attribute("value") == "0"

    last_year = datetime.now(ZONE).year - 1
    browser.get(f"{workbench['portal']}/scorecards?year={last_year}")
    browser.find_element(By.ID, "freeze-year").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "frozen")))
    assert "admin" in text(browser, "#frozen")
    assert not browser.find_elements(By.ID, "freeze")  # once only


def test_the_head_budgets_the_year_and_records_what_is_spent_to_the_fen(browser, workbench):
    head, staff = head_of(workbench, "a09", "经费试点社区")
    sign_in(browser, staff, head, "/communities/a09")
    browser.find_element(By.ID, "budget-link").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "save-budget")))
    assert unlabelled_inputs(browser) == []
    browser.find_element(By.ID, "line-equipment").send_keys("五千")
    browser.find_element(By.ID, "partners").send_keys("区人民医院 物资 100")
    browser.find_element(By.ID, "save-budget").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert {"line-equipment", "partners"} <= set(error_summary_links(browser))
    browser.find_element(By.ID, "line-equipment").clear()
    browser.find_element(By.ID, "line-equipment").send_keys("5,000")
    browser.find_element(By.ID, "line-periodicals").send_keys("1200.5")
    browser.find_element(By.ID, "partners").clear()
    browser.find_element(By.ID, "partners").send_keys("区人民医院 资金 2000\n第一小学 场地 操场")
    pressed(browser, browser.find_element(By.ID, "save-budget"))
    assert text(browser, "#planned") == "6,200.50 元"
    assert text(browser, "#partner-money") == "2,000.00 元"
    assert "第一小学: 提供场地：操场" in text(browser, "#partners")
    browser.find_element(By.CSS_SELECTOR, "#line option[value='periodicals']").click()
    browser.find_element(By.ID, "amount").send_keys("1300")
    today = datetime.now(ZONE).date().isoformat()
    browser.execute_script("document.getElementById('spent_on').value = arguments[0]", today)
    browser.find_element(By.ID, "what").send_keys("订阅《中国老年报》")
    pressed(browser, browser.find_element(By.ID, "record-spending"))
    row = "#budget-lines [data-line='periodicals']"
    assert text(browser, f"{row} [data-column='left']") == "-99.50 超支"
    assert text(browser, "#left") == f"{6_200.50 + 2_000 - 1_300:,.2f} 元"
