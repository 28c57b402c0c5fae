"""The community's pages of the workbench in a real browser, against the real services: the
community head's page (overdue work, caseloads, escalations) and giving a visit to another
worker; a head held to their own community; a visitor on a phone answering a help request; the
pairings of a community, ended by its head."""

import io
import uuid
from datetime import UTC, date, datetime, timedelta

import requests
from openpyxl import load_workbook
from pypdf import PdfReader
from report_reading import pdf_text
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select
from workbench import (
    ADMIN,
    CLERK,
    E2E,
    PHONE,
    VISITOR,
    ZONE,
    admitted_elder,
    error_summary_links,
    eventually,
    national_id,
    needs_chromium,
    obligation_of,
    on_a_phone,
    pressed,
    registered_elder,
    sign_in,
    sign_out,
    text,
    unlabelled_inputs,
    wait,
)

pytestmark = needs_chromium


def no_sideways_scrolling(browser: WebDriver) -> None:
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"the page is {width}px wide on a {PHONE[0]}px phone"


def known_to_visits(workbench: dict, name: str, community: str = "c01") -> str:
    """An elder registered with intake, once visits holds them: their id."""
    elder_id = registered_elder(workbench, name, national_id(date(1938, 4, 2)), community)
    known = eventually(
        lambda: (
            requests.get(f"{workbench['visits']}/elders/{elder_id}", headers=ADMIN, timeout=10).ok
        )
    )
    assert known, f"visits never heard of {elder_id}"
    return elder_id


def second_worker(workbench: dict) -> dict:
    """Another visitor's account, bound to c01: the workbench's passwords with theirs."""
    username = f"worker-{uuid.uuid4().hex[:6]}"
    made = requests.post(
        f"{workbench['intake']}/users",
        json={
            "username": username,
            "password": "a long enough password",
            "roles": ["visitor"],
            "community": "c01",
        },
        headers=ADMIN,
        timeout=10,
    )
    assert made.status_code == 201, made.text
    return {
        **workbench,
        "username": username,
        "passwords": {**workbench["passwords"], username: "a long enough password"},
    }


def test_the_head_gives_an_overdue_visit_to_another_worker_of_the_community(browser, workbench):
    owed = admitted_elder(workbench, "钱秀英")
    other = second_worker(workbench)
    passed = requests.post(f"{workbench['visits']}/jobs/overdue", headers=ADMIN, timeout=10)
    assert passed.status_code == 200, passed.text  # flagged and escalated to the head now
    three_hours_ago = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    unanswered = requests.post(
        f"{workbench['visits']}/help-requests",
        json={
            "elder_id": owed["elder_id"],
            "channel": "hotline",
            "urgency": "urgent",  # to be answered within 2 hours
            "description": "电话求助：出院后无人照料",
            "reported_at": three_hours_ago.isoformat(),
        },
        headers=ADMIN,
        timeout=10,
    )
    assert unanswered.status_code == 201, unanswered.text
    on_a_phone(browser)
    sign_in(browser, workbench, "head")
    assert browser.current_url.endswith("/communities/c01"), "the head's community opens first"
    assert text(browser, "h1") == "第1社区"
    assert text(browser, ".menu a[aria-current=page]") == "我的社区"
    card = browser.find_element(
        By.CSS_SELECTOR, f"#overdue [data-obligation='{owed['obligation_id']}']"
    )
    assert "钱秀英" in card.text and "生病住院" in card.text and "负责人：visitor" in card.text
    escalated = text(browser, f"#escalations [data-escalated='{owed['obligation_id']}']")
    assert "钱秀英" in escalated and "逾期" in escalated
    late_answer = f"#escalations [data-help-request='{unanswered.json()['request_id']}']"
    assert "出院后无人照料" in text(browser, late_answer)
    no_sideways_scrolling(browser)
    caseload = browser.find_element(By.CSS_SELECTOR, "#caseloads tr[data-worker='visitor']")
    counts = [int(cell.text) for cell in caseload.find_elements(By.TAG_NAME, "td")]
    open_work, overdue = counts[:2]
    assert overdue >= 1 and open_work >= overdue
    assert unlabelled_inputs(browser) == []

    card.find_element(By.TAG_NAME, "a").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "assign-form")))
    assert unlabelled_inputs(browser) == []
    assert text(browser, "#current-assignee") == "visitor"
    browser.find_element(By.ID, "assign").click()  # nobody chosen
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert error_summary_links(browser) == {"assignee": "请选择走访员。"}
    assert "请选择走访员" in text(browser, "#assignee-group .field-error")
    Select(browser.find_element(By.ID, "assignee")).select_by_value(other["username"])
    browser.find_element(By.ID, "assign").click()

    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".notice-success")))
    assert browser.current_url.endswith("/communities/c01")
    assert other["username"] in text(browser, ".notice-success")
    card = browser.find_element(By.CSS_SELECTOR, f"[data-obligation='{owed['obligation_id']}']")
    assert f"负责人：{other['username']}" in card.text
    assert obligation_of(workbench, owed["elder_id"])["assignee"] == other["username"]
    sign_out(browser)

    sign_in(browser, other, other["username"])
    assert browser.current_url.endswith("/worklist")
    assert browser.find_elements(
        By.CSS_SELECTOR, f"#overdue [data-obligation='{owed['obligation_id']}']"
    ), "the visit given is in the new worker's worklist"
    sign_out(browser)
    sign_in(browser, workbench, "visitor")
    assert browser.current_url.endswith("/worklist")
    assert not browser.find_elements(
        By.CSS_SELECTOR, f"[data-obligation='{owed['obligation_id']}']"
    ), "and no longer in the first worker's"


def test_a_head_sees_nothing_of_another_community(browser, workbench):
    name = f"冯{uuid.uuid4().hex[:4]}"
    ours = known_to_visits(workbench, name, "c01")
    theirs = known_to_visits(workbench, name, "c02")
    reported = requests.post(
        f"{workbench['visits']}/obligations",
        json={"elder_id": theirs, "trigger": "hardship"},
        headers=ADMIN,
        timeout=10,
    )
    assert reported.status_code == 201, reported.text

    sign_in(browser, workbench, "head")
    assert not browser.find_elements(By.CSS_SELECTOR, f"[data-elder='{theirs}']")
    assert theirs not in browser.page_source
    browser.find_element(By.LINK_TEXT, "查找老年人").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "search")))
    assert unlabelled_inputs(browser) == []
    offered = [
        o.get_attribute("value")
        for o in Select(browser.find_element(By.ID, "community")).options
        if o.get_attribute("value")
    ]
    assert offered == ["c01"], "only the head's own community is offered"
    browser.find_element(By.ID, "name").send_keys(name)
    browser.find_element(By.ID, "search").click()  # in all the communities offered

    def found(driver: WebDriver) -> list[str]:
        links = driver.find_elements(By.CSS_SELECTOR, "#results a")
        return [link.get_attribute("href").rsplit("/", 1)[1] for link in links]

    wait(browser).until(lambda driver: found(driver) == [ours])

    # The head's account is bound to c01: intake says another community's elder is not there.
    browser.get(workbench["portal"] + f"/elders/{theirs}")
    assert text(browser, "h1") == "未找到"
    assert "其他社区" in text(browser, "#problem-detail")
    for path in ("/communities/c02", "/elders?community=c02&name=x"):
        browser.get(workbench["portal"] + path)
        assert text(browser, "h1") == "无权访问", path
        assert name not in browser.find_element(By.TAG_NAME, "main").text
    browser.get(workbench["portal"] + f"/elders/{ours}")
    assert text(browser, "h1") == name


def with_phone(workbench: dict, elder_id: str, phone: str) -> None:
    """The elder's phone recorded by intake, once visits holds it."""
    changed = requests.patch(
        f"{workbench['intake']}/elders/{elder_id}",
        json={"version": 1, "phone": phone},
        headers=ADMIN,
        timeout=10,
    )
    assert changed.status_code == 200, changed.text
    url = f"{workbench['visits']}/elders/{elder_id}"
    known = eventually(
        lambda: requests.get(url, headers=ADMIN, timeout=10).json().get("phone") == phone
    )
    assert known, "visits never heard of the phone"


def test_a_visitor_on_a_phone_responds_to_a_help_request_and_resolves_it(browser, workbench):
    elder_id = known_to_visits(workbench, "褚玉珍")
    with_phone(workbench, elder_id, "13812345678")
    made = requests.post(
        f"{workbench['visits']}/help-requests",
        json={
            "elder_id": elder_id,
            "channel": "love_umbrella",
            "urgency": "urgent",
            "description": "阳台挂出爱心伞，家中停水",
        },
        headers=ADMIN,
        timeout=10,
    )
    assert made.status_code == 201, made.text
    request_id = made.json()["request_id"]

    on_a_phone(browser)
    sign_in(browser, workbench, "visitor")
    browser.find_element(By.LINK_TEXT, "求助").click()
    card = wait(browser).until(
        ready.presence_of_element_located(
            (By.CSS_SELECTOR, f"#waiting [data-help-request='{request_id}']")
        )
    )
    assert "褚玉珍" in card.text and "爱心伞" in card.text and "紧急" in card.text
    no_sideways_scrolling(browser)
    card.find_element(By.TAG_NAME, "a").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "respond")))
    assert unlabelled_inputs(browser) == []
    no_sideways_scrolling(browser)
    assert text(browser, "#help-status") == "等待响应"
    assert "13812345678" in text(browser, "#help-summary"), "the phone whole, to call"
    assert browser.find_element(By.ID, "respond").size["height"] >= 44
    browser.find_element(By.ID, "respond").click()

    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".notice-success")))
    assert text(browser, "#help-status") == "visitor 正在处理"
    assert not browser.find_elements(By.ID, "respond"), "taken in charge by the visitor already"
    taken = requests.get(
        f"{workbench['visits']}/help-requests/{request_id}", headers=VISITOR, timeout=10
    ).json()
    assert (taken["status"], taken["responder"]) == ("responding", "visitor")
    assert taken["answered_in_time"] is True

    browser.find_element(By.ID, "resolve").click()  # without saying how
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert error_summary_links(browser) == {"resolution": "请填写处理结果。"}
    browser.find_element(By.ID, "resolution").send_keys("已联系物业恢复供水")
    browser.find_element(By.ID, "resolve").click()
    wait(browser).until(
        ready.text_to_be_present_in_element((By.ID, "help-status"), "已由 visitor 解决")
    )
    browser.find_element(By.LINK_TEXT, "返回求助列表").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "waiting")))
    assert not browser.find_elements(By.CSS_SELECTOR, f"[data-help-request='{request_id}']")


def test_a_visitor_sees_the_communitys_pairings_and_the_head_ends_one(browser, workbench):
    elder_id = known_to_visits(workbench, "卫国华")
    paired = requests.post(
        f"{workbench['visits']}/pairings",
        json={
            "elder_id": elder_id,
            "partner_kind": "neighbour",
            "partner_name": "蒋阿姨",
            "partner_phone": "13912341111",
            "visits_per_month": 2,
        },
        headers=ADMIN,
        timeout=10,
    )
    assert paired.status_code == 201, paired.text
    pairing_id = paired.json()["pairing_id"]

    on_a_phone(browser)
    sign_in(browser, workbench, "visitor")
    browser.find_element(By.LINK_TEXT, "结对帮扶").click()
    card = wait(browser).until(
        ready.presence_of_element_located(
            (By.CSS_SELECTOR, f"#community-pairings [data-pairing='{pairing_id}']")
        )
    )
    assert "卫国华" in card.text and "邻居" in card.text and "每月走访 2 次" in card.text
    no_sideways_scrolling(browser)
    card.find_element(By.TAG_NAME, "a").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "pairing-summary")))
    assert "13912341111" in text(browser, "#pairing-summary")  # whole, to call the partner
    assert not browser.find_elements(By.ID, "end"), "a visitor does not end a pairing"
    assert "社区负责人" in text(browser, "#end-by-head")
    sign_out(browser)

    sign_in(browser, workbench, "head", f"/pairings/{pairing_id}")
    assert unlabelled_inputs(browser) == []
    browser.find_element(By.ID, "reason").send_keys("老人搬去子女家住")
    pressed(browser, browser.find_element(By.ID, "end"))
    assert "老人搬去子女家住" in text(browser, "#pairing-status")
    ended = requests.get(
        f"{workbench['visits']}/pairings/{pairing_id}", headers=VISITOR, timeout=10
    ).json()
    assert (ended["status"], ended["end_reason"]) == ("ended", "老人搬去子女家住")


def test_the_head_prints_the_communitys_key_target_list(browser, workbench):
    name = f"褚{uuid.uuid4().hex[:4]}"
    elder_id = known_to_visits(workbench, name, "c01")
    alone = {"version": 1, "circumstances": {"household_type": "living_alone"}}
    changed = requests.patch(
        f"{workbench['intake']}/elders/{elder_id}", json=alone, headers=CLERK, timeout=10
    )
    assert changed.status_code == 200, changed.text

    def listed() -> bool:
        report = requests.get(
            f"{workbench['visits']}/reports/key-targets",
            params={"community": "c01"},
            headers=ADMIN,
            timeout=10,
        ).json()
        return any(t["elder_id"] == elder_id for t in report["targets"])

    assert eventually(listed), "visits never listed the elder living alone"
    sign_in(browser, workbench, "head")
    browser.find_element(By.LINK_TEXT, "我的社区").click()
    link = wait(browser).until(ready.presence_of_element_located((By.ID, "key-targets-pdf")))
    assert "重点服务对象名单" in link.text
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    answer = requests.get(link.get_attribute("href"), cookies=cookies, timeout=60)
    assert answer.status_code == 200 and answer.content[:5] == b"%PDF-", answer.text[:300]
    text = "".join(
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages).split()
    )
    assert name in text and "独居" in text
    monthly = browser.find_element(By.ID, "home-care-visits-pdf").get_attribute("href")
    answer = requests.get(monthly, cookies=cookies, timeout=60)
    assert answer.status_code == 200 and answer.content[:5] == b"%PDF-", answer.text[:300]
    assert "走访与服务" in pdf_text(answer.content)
    # the whole home-care report: allowances' part (the month's vouchers) bound before visits'
    opened = requests.post(
        f"{workbench['allowances']}/cycles",
        json={"programme": "home_care_voucher", "month": f"{datetime.now(ZONE):%Y-%m}"},
        headers=E2E["dev-officer"],
        timeout=120,
    )
    assert opened.status_code in (201, 409), opened.text  # one per month: it may be open
    whole = browser.find_element(By.ID, "home-care-report-pdf").get_attribute("href")
    answer = eventually(  # until the month's roll is written
        lambda: (got := requests.get(whole, cookies=cookies, timeout=60)).ok and got
    )
    assert answer.content[:5] == b"%PDF-"
    printed = pdf_text(answer.content)
    assert printed.index("居家养老对象与服务券") < printed.index("走访与服务")
    assert "c02" not in printed  # the head's community only
    book = browser.find_element(By.ID, "home-care-report-xlsx").get_attribute("href")
    sheets = load_workbook(io.BytesIO(requests.get(book, cookies=cookies, timeout=60).content))
    first, second = sheets.worksheets
    assert first.title.endswith("居家养老对象与服务券") and second.title.endswith("走访与服务")
    year = browser.find_element(By.ID, "year-summary-pdf").get_attribute("href")
    answer = requests.get(year, cookies=cookies, timeout=60)
    assert answer.status_code == 200, answer.text[:300]
    summary = pdf_text(answer.content)
    for part in ("老年人登记与志愿者", "走访与服务", "高龄津贴与九十岁以上老人"):
        assert part in summary, part
    notice = browser.find_element(By.ID, "public-notice-pdf").get_attribute("href")
    answer = requests.get(notice, cookies=cookies, timeout=60)
    assert answer.status_code == 200 and answer.content[:5] == b"%PDF-", answer.text[:300]
    pages = PdfReader(io.BytesIO(answer.content)).pages
    printed = "".join("".join(p.extract_text() for p in pages).split())
    assert "为老服务公示" in printed and "社区负责人head" in printed and "生病住院" in printed
