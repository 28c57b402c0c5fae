"""Browser tests of the allowance office's, the approver's and the district administrator's
pages: a cycle's exclusions and its payment file, an elder's statement, the approval queue,
staff accounts, visits' deadlines and the audit trail.

Other browser tests open this month's high-age cycle in the same records; the cycles here are
festival campaigns' (one programme per campaign), so that none collides with theirs."""

import csv
import io
import uuid
from datetime import date, datetime

import pytest
import requests
from openpyxl import load_workbook
from report_reading import pdf_text
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select
from workbench import (
    ADMIN,
    CLERK,
    ZONE,
    error_summary_links,
    eventually,
    national_id,
    needs_chromium,
    pressed,
    sign_in,
    sign_out,
    text,
    unlabelled_inputs,
    wait,
)

pytestmark = needs_chromium


def token_of(workbench: dict, username: str, password: str | None = None) -> dict[str, str]:
    answer = requests.post(
        f"{workbench['intake']}/auth/token",
        json={"username": username, "password": password or workbench["passwords"][username]},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def registered(workbench: dict, name: str, low_income: bool, born: date = date(1956, 5, 1)) -> str:
    """An elder of c01 (aged 70 unless born otherwise), known to allowances: their id."""
    number = national_id(born)
    made = requests.post(
        f"{workbench['intake']}/elders",
        json={
            "national_id": number,
            "name": name,
            "sex": "male" if int(number[16]) % 2 else "female",
            "birth_date": born.isoformat(),
            "community": "c01",
            "address": f"稠州北路{number[-6:]}号",
            "circumstances": {"low_income": low_income},
        },
        headers=CLERK,
        timeout=10,
    )
    assert made.status_code == 201, made.text
    elder_id = made.json()["elder_id"]
    known = eventually(
        lambda: (
            requests.get(
                f"{workbench['allowances']}/elders/{elder_id}", headers=ADMIN, timeout=10
            ).status_code
            == 200
        )
    )
    assert known, "allowances never heard of the elder"
    return elder_id


def festival_cycle(workbench: dict, officer: dict[str, str], reviewed: bool = True) -> dict:
    """A festival campaign of today, its cycle opened (and reviewed) by `officer`."""
    campaign = f"wb-{uuid.uuid4().hex[:10]}"
    made = requests.post(
        f"{workbench['allowances']}/campaigns",
        json={
            "campaign_id": campaign,
            "name": "重阳节慰问",
            "festival_on": datetime.now(ZONE).date().isoformat(),
            "amount_fen": 20000,
        },
        headers=officer,
        timeout=10,
    )
    assert made.status_code == 201, made.text
    opened = requests.post(
        f"{workbench['allowances']}/cycles",
        json={"programme": f"festival:{campaign}"},
        headers=officer,
        timeout=60,
    )
    assert opened.status_code == 201, opened.text
    cycle = opened.json()
    if reviewed:
        review = requests.post(
            f"{workbench['allowances']}/cycles/{cycle['cycle_id']}/review",
            json={"note": "已核对"},
            headers=officer,
            timeout=10,
        )
        assert review.status_code == 200, review.text
    return cycle


@pytest.fixture(scope="module")
def festival(workbench: dict) -> dict:
    """An approved festival cycle paying a low-income elder (with a payee account) and
    leaving out one who is not."""
    paid = registered(workbench, "陈桂兰", low_income=True)
    left_out = registered(workbench, "周建国", low_income=False)
    account = requests.put(
        f"{workbench['allowances']}/elders/{paid}/payee-account",
        json={
            "version": 0,
            "kind": "bank_account",
            "bank": "中国工商银行义乌分行",
            "number": "6222020200112233445",
            "holder": "陈桂兰",
        },
        headers=ADMIN,
        timeout=10,
    )
    assert account.status_code in (200, 201), account.text
    officer = token_of(workbench, "officer")
    cycle = festival_cycle(workbench, officer)
    approved = requests.post(
        f"{workbench['allowances']}/cycles/{cycle['cycle_id']}/approve",
        headers=token_of(workbench, "approver"),
        timeout=10,
    )
    assert approved.status_code == 200, approved.text
    return {"cycle": cycle, "paid": paid, "left_out": left_out}


def session_cookies(browser: WebDriver) -> dict[str, str]:
    return {c["name"]: c["value"] for c in browser.get_cookies()}


def test_an_officer_sees_who_is_excluded_and_why_and_downloads_the_payment_file(
    browser, workbench, festival
):
    cycle_id = festival["cycle"]["cycle_id"]
    sign_in(browser, workbench, "officer", f"/cycles/{cycle_id}")
    assert text(browser, ".step-current") == "审批"
    browser.find_element(By.ID, "export").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "payment-file-csv")))
    assert text(browser, ".step-current") == "导出"

    browser.find_element(By.ID, "exclusions-link").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "exclusion-filter")))
    assert unlabelled_inputs(browser) == []
    Select(browser.find_element(By.ID, "reason")).select_by_value("not_targeted")
    browser.find_element(By.ID, "filter").click()
    wait(browser).until(ready.url_contains("reason=not_targeted"))  # the filtered page now
    # the roll lists only the target group: one left out is not listed, and the page says so
    assert "名册只列出" in text(browser, "#roll-scope")
    for elder_id in (festival["paid"], festival["left_out"]):
        assert not browser.find_elements(
            By.CSS_SELECTOR, f"#exclusions tr[data-elder='{elder_id}']"
        )

    browser.back()
    browser.back()
    wait(browser).until(ready.presence_of_element_located((By.ID, "payment-file-csv")))
    link = browser.find_element(By.ID, "payment-file-csv").get_attribute("href")
    assert link.startswith(workbench["portal"]), "the file comes through the workbench"
    answer = requests.get(link, cookies=session_cookies(browser), timeout=30)
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    ours = [r for r in rows if festival["paid"] in r]
    assert len(ours) == 1 and "陈桂兰" in ours[0] and "200.00" in ours[0], rows
    assert not [r for r in rows if festival["left_out"] in r]
    assert requests.get(link, timeout=30, allow_redirects=False).status_code == 302


def test_the_officer_opens_the_statement_of_an_elder_with_payments(browser, workbench, festival):
    sign_in(browser, workbench, "officer", f"/elders/{festival['paid']}")
    browser.find_element(By.ID, "statement-link").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "statement-lines")))
    assert "陈桂兰" in text(browser, "h1")
    line = browser.find_element(
        By.CSS_SELECTOR, f"#statement-lines tr[data-line$=':{festival['paid']}']"
    )
    assert "200.00" in line.text and festival["cycle"]["programme"] in line.text
    assert text(browser, "#paid-total") == "200.00"


def test_the_statement_of_an_elder_left_out_says_why_from_the_cycles_rules(
    browser, workbench, festival
):
    sign_in(browser, workbench, "officer", f"/elders/{festival['left_out']}/statement")
    line = wait(browser).until(
        ready.presence_of_element_located(
            (By.CSS_SELECTOR, f"#statement-lines tr[data-line$=':{festival['left_out']}']")
        )
    )
    assert line.get_attribute("data-computed") == "true"
    assert "不在慰问对象范围" in line.text and "未列入本期名册" in line.text
    assert text(browser, "#paid-total") == "0.00"


def test_the_approvers_queue_lists_a_reviewed_cycle_until_it_is_approved(browser, workbench):
    cycle = festival_cycle(workbench, token_of(workbench, "officer"))
    card = f"#approval-queue [data-cycle='{cycle['cycle_id']}']"
    sign_in(browser, workbench, "approver")
    assert browser.current_url.endswith("/approvals"), "the approver starts at the queue"
    assert "officer" in text(browser, f"{card} .prepared-by")
    assert text(browser, f"{card} .card-title").startswith("重阳节慰问"), "named by its campaign"
    assert not browser.find_elements(By.CSS_SELECTOR, f"{card} .own-cycle")
    pressed(browser, browser.find_element(By.CSS_SELECTOR, f"{card} .approve"))
    assert "已审批" in text(browser, ".notice-success")
    assert not browser.find_elements(By.CSS_SELECTOR, card), "approved: off the queue"
    state = requests.get(
        f"{workbench['allowances']}/cycles/{cycle['cycle_id']}", headers=ADMIN, timeout=10
    ).json()
    assert (state["state"], state["approved_by"]) == ("approved", "approver")


def test_an_approver_is_told_beside_a_cycle_they_prepared_that_they_cannot_approve_it(
    browser, workbench
):
    both = f"both{uuid.uuid4().hex[:6]}"
    made = requests.post(
        f"{workbench['intake']}/users",
        json={
            "username": both,
            "password": "both-long-password",
            "roles": ["allowance_officer", "approver"],
        },
        headers=ADMIN,
        timeout=10,
    )
    assert made.status_code == 201, made.text
    cycle = festival_cycle(workbench, token_of(workbench, both, "both-long-password"))
    card = f"#approval-queue [data-cycle='{cycle['cycle_id']}']"
    sign_in(browser, {**workbench, "passwords": {both: "both-long-password"}}, both, "/approvals")
    assert "不能审批" in text(browser, f"{card} .own-cycle")
    assert not browser.find_elements(By.CSS_SELECTOR, f"{card} .approve")


def test_an_approver_who_reviewed_a_cycle_is_told_they_cannot_approve_it(browser, workbench):
    both = f"both{uuid.uuid4().hex[:6]}"
    made = requests.post(
        f"{workbench['intake']}/users",
        json={
            "username": both,
            "password": "both-long-password",
            "roles": ["allowance_officer", "approver"],
        },
        headers=ADMIN,
        timeout=10,
    )
    assert made.status_code == 201, made.text
    mine = token_of(workbench, both, "both-long-password")
    cycle = festival_cycle(workbench, token_of(workbench, "officer"), reviewed=False)
    review = requests.post(
        f"{workbench['allowances']}/cycles/{cycle['cycle_id']}/review",
        json={"note": "已核对"},
        headers=mine,
        timeout=10,
    )
    assert review.status_code == 200, review.text
    sign_in(browser, {**workbench, "passwords": {both: "both-long-password"}}, both, "/approvals")
    card = f"#approval-queue [data-cycle='{cycle['cycle_id']}']"
    assert "由您审核" in text(browser, f"{card} .own-cycle")
    assert not browser.find_elements(By.CSS_SELECTOR, f"{card} .approve")
    browser.find_element(By.CSS_SELECTOR, f"{card} .card-title").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "own-cycle")))
    assert "由您审核" in text(browser, "#own-cycle")
    assert not browser.find_elements(By.ID, "approve-form")


def test_the_administrator_creates_an_account_that_sees_only_its_roles_menu_and_is_audited(
    browser, workbench
):
    username = f"clerk{uuid.uuid4().hex[:6]}"
    sign_in(browser, workbench, "admin", "/administration/users")
    assert unlabelled_inputs(browser) == []
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "create-user").click()  # no role
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert "角色" in error_summary_links(browser)["roles"]
    assert browser.find_element(By.ID, "username").get_attribute("value") == username
    browser.find_element(By.ID, "roles").click()  # the first role: intake clerk
    browser.find_element(By.ID, "password").send_keys("short")
    browser.find_element(By.ID, "create-user").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "password-error")))
    assert "12" in error_summary_links(browser)["password"]
    assert browser.find_element(By.ID, "roles").is_selected(), "the role chosen is kept"
    browser.find_element(By.ID, "password").send_keys("a-long-password-1")
    Select(browser.find_element(By.ID, "community")).select_by_value("c01")
    browser.find_element(By.ID, "create-user").click()
    row = wait(browser).until(
        ready.presence_of_element_located((By.CSS_SELECTOR, f"#users tr[data-user='{username}']"))
    )
    assert "登记员" in row.text and "启用" in row.text, row.text

    browser.get(f"{workbench['portal']}/administration/audit")
    assert unlabelled_inputs(browser) == []
    browser.find_element(By.ID, "user").send_keys("admin")
    browser.find_element(By.ID, "action").send_keys("created")
    browser.find_element(By.ID, "show-trail").click()
    line = wait(browser).until(
        ready.presence_of_element_located(
            (By.CSS_SELECTOR, f"#audit-trail tr[data-record='{username}']")
        )
    )
    assert "创建账户" in line.text

    sign_out(browser)
    sign_in(browser, {**workbench, "passwords": {username: "a-long-password-1"}}, username)
    portal = workbench["portal"]
    menu = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, ".menu a")]
    assert menu[:2] == [f"{portal}/elders/new", f"{portal}/elders"], menu
    others = ("/cycles", "/approvals", "/overpayments", "/worklist", "/administration")
    assert not [href for href in menu if href.removeprefix(portal).startswith(others)], menu
    assert browser.current_url == f"{portal}/elders/new"


def test_the_administrator_sets_the_hotline_and_every_service_prints_it(browser, workbench):
    sign_in(browser, workbench, "admin", "/administration/service-contacts")
    assert unlabelled_inputs(browser) == []
    hotline = browser.find_element(By.ID, "hotline")
    hotline.clear()
    hotline.send_keys("热线12349")
    browser.find_element(By.ID, "save-contacts").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert "不是可拨打的号码" in error_summary_links(browser)["hotline"]
    assert browser.find_element(By.ID, "hotline").get_attribute("value") == "热线12349"
    hotline = browser.find_element(By.ID, "hotline")
    hotline.clear()
    hotline.send_keys("0571-12349")
    guide = browser.find_element(By.ID, "service_guide")
    guide.clear()
    guide.send_keys("《示范街道为老服务指南》")
    pressed(browser, browser.find_element(By.ID, "save-contacts"))
    assert browser.find_element(By.ID, "hotline").get_attribute("value") == "0571-12349"
    assert browser.find_elements(By.ID, "contacts-defaults") == []

    def printed(service: str, path: str, params: dict) -> str:
        answer = requests.get(
            f"{workbench[service]}{path}", params=params, headers=ADMIN, timeout=60
        )
        assert answer.status_code == 200, answer.text[:300]
        return pdf_text(answer.content)

    # announced by intake, heard by visits' and allowances' workers over the broker
    notice = ("visits", "/reports/public-notice/c01", {"name": "示范社区"})
    assert eventually(lambda: "0571-12349" in printed(*notice), timeout=90, every=1)
    assert "《示范街道为老服务指南》" in printed(*notice)
    year = ("allowances", f"/reports/year/{datetime.now(ZONE).year}", {"format": "pdf"})
    assert eventually(lambda: "0571-12349" in printed(*year), timeout=90, every=1)


def test_the_administrator_changes_a_deadline_and_visits_applies_it(browser, workbench):
    before = requests.get(f"{workbench['visits']}/config", headers=ADMIN, timeout=10).json()
    hours = {t["trigger"]: t["hours"] for t in before["triggers"]}["worries"]
    try:
        sign_in(browser, workbench, "admin", "/administration/visit-rules")
        assert unlabelled_inputs(browser) == []
        field = browser.find_element(By.ID, "trigger-worries")
        field.clear()
        field.send_keys("abc")
        browser.find_element(By.ID, "save-deadlines").click()
        wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
        assert error_summary_links(browser)["trigger-worries"] == "请输入整数。"
        assert text(browser, "#trigger-worries-error").endswith("请输入整数。")
        field = browser.find_element(By.ID, "trigger-worries")
        assert field.get_attribute("value") == "abc"
        field.clear()
        field.send_keys(str(hours + 24))
        pressed(browser, browser.find_element(By.ID, "save-deadlines"))
        after = requests.get(f"{workbench['visits']}/config", headers=ADMIN, timeout=10).json()
        assert {t["trigger"]: t["hours"] for t in after["triggers"]}["worries"] == hours + 24
        assert browser.find_element(By.ID, "trigger-worries").get_attribute("value") == str(
            hours + 24
        )
    finally:
        requests.put(
            f"{workbench['visits']}/config/deadlines",
            json={"triggers": {"worries": hours}},
            headers=ADMIN,
            timeout=10,
        )


def test_the_administrator_changes_an_accounts_roles_and_community_and_disables_it(
    browser, workbench
):
    username = f"wu{uuid.uuid4().hex[:6]}"
    made = requests.post(
        f"{workbench['intake']}/users",
        json={"username": username, "password": "wu-long-password", "roles": ["visitor"]},
        headers=ADMIN,
        timeout=10,
    )
    assert made.status_code == 201, made.text
    sign_in(browser, workbench, "admin", f"/administration/users/{username}")
    assert unlabelled_inputs(browser) == []
    assert browser.find_element(By.ID, "roles-visitor").is_selected()
    browser.find_element(By.ID, "roles-visitor").click()
    browser.find_element(By.ID, "roles-community_head").click()
    Select(browser.find_element(By.ID, "community")).select_by_value("c01")
    browser.find_element(By.ID, "mobile").send_keys("1390013")
    browser.find_element(By.ID, "save-user").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "mobile-error")))
    assert error_summary_links(browser) == {"mobile": "请填写11位手机号。"}
    browser.find_element(By.ID, "mobile").clear()
    browser.find_element(By.ID, "mobile").send_keys("13900139000")
    browser.find_element(By.ID, "save-user").click()
    row = wait(browser).until(
        ready.presence_of_element_located((By.CSS_SELECTOR, f"#users tr[data-user='{username}']"))
    )
    accounts = requests.get(f"{workbench['intake']}/users", headers=ADMIN, timeout=10).json()
    assert next(a for a in accounts if a["username"] == username)["mobile"] == "13900139000"
    assert "社区负责人" in row.text and "走访" not in row.find_element(By.CLASS_NAME, "roles").text
    headed = token_of(workbench, username, "wu-long-password")
    assert headed

    row.find_element(By.LINK_TEXT, username).click()
    wait(browser).until(ready.element_to_be_clickable((By.ID, "active"))).click()
    browser.find_element(By.ID, "save-user").click()
    row = wait(browser).until(
        ready.presence_of_element_located((By.CSS_SELECTOR, f"#users tr[data-user='{username}']"))
    )
    assert "已停用" in row.text
    refused = requests.post(
        f"{workbench['intake']}/auth/token",
        json={"username": username, "password": "wu-long-password"},
        timeout=10,
    )
    assert refused.status_code == 401


def test_the_programmes_and_communities_forms_say_what_is_wrong_beside_the_field(
    browser, workbench
):
    programmes = f"{workbench['allowances']}/programmes"
    before = requests.get(programmes, headers=ADMIN, timeout=10).json()
    sign_in(browser, workbench, "admin", "/administration/programmes")
    assert unlabelled_inputs(browser) == []
    band = browser.find_element(By.ID, "band-1")
    ninety = next(a for a in before["high_age"]["amounts"] if a["band"] == "90-99")
    assert band.get_attribute("value") == f"{ninety['amount_fen'] / 100:.2f}"  # in yuan
    band.clear()
    band.send_keys("三百")
    browser.find_element(By.ID, "save-high-age").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert "band-1" in error_summary_links(browser)
    assert browser.find_element(By.ID, "band-1").get_attribute("value") == "三百"
    after = requests.get(programmes, headers=ADMIN, timeout=10).json()
    assert after["version"] == before["version"], "nothing was sent"

    browser.get(f"{workbench['portal']}/administration/communities")
    assert unlabelled_inputs(browser) == []
    assert text(browser, "#communities tr[data-community='c01'] .worker") == "visitor"
    browser.find_element(By.ID, "code").send_keys("c01")
    browser.find_element(By.ID, "name").send_keys("重复的社区")
    browser.find_element(By.ID, "add-community").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert "已有" in error_summary_links(browser)["code"]
    assert browser.find_element(By.ID, "name").get_attribute("value") == "重复的社区"


def test_the_officer_reads_the_months_90_plus_roster_and_downloads_it(browser, workbench):
    elder_id = registered(workbench, "郑寿康", low_income=False, born=date(1931, 2, 3))
    sign_in(browser, workbench, "officer", "/cycles")
    browser.find_element(By.LINK_TEXT, "九十岁以上名册").click()
    row = wait(browser).until(
        ready.presence_of_element_located(
            (By.CSS_SELECTOR, f"#aged_90_plus tr[data-elder='{elder_id}']")
        )
    )
    assert "郑寿康" in row.text
    assert text(browser, "h1").endswith(datetime.now(ZONE).strftime("%Y-%m"))
    assert unlabelled_inputs(browser) == []
    whole = browser.find_element(By.CSS_SELECTOR, "#by-community tr[data-community='c01']")
    counted = int(whole.find_elements(By.CSS_SELECTOR, "td.number")[0].text)
    assert counted >= 1
    whole.find_element(By.TAG_NAME, "a").click()  # that community's own roster
    wait(browser).until(ready.url_contains("community=c01"))
    assert " · " in text(browser, "h1")
    assert browser.find_element(By.ID, "community").get_attribute("value") == "c01"
    assert browser.find_element(By.CSS_SELECTOR, f"#aged_90_plus tr[data-elder='{elder_id}']")
    ours = browser.find_element(By.CSS_SELECTOR, "#aged_90_plus-title .count").text
    assert int(ours) == counted
    workbook = browser.find_element(By.ID, "roster-workbook").get_attribute("href")
    assert "community=c01" in workbook
    answer = requests.get(workbook, cookies=session_cookies(browser), timeout=30)
    assert answer.status_code == 200
    assert answer.content[:2] == b"PK", "an XLSX workbook (a zip)"

    sign_out(browser)  # a community's head reads their own community's roster only
    sign_in(browser, workbench, "head", "/rosters/90-plus")
    wait(browser).until(
        ready.presence_of_element_located(
            (By.CSS_SELECTOR, f"#aged_90_plus tr[data-elder='{elder_id}']")
        )
    )
    choice = Select(browser.find_element(By.ID, "community"))
    assert [o.get_attribute("value") for o in choice.options] == ["c01"]  # no whole district
    shown = browser.find_elements(By.CSS_SELECTOR, "#by-community tbody tr")
    assert [row.get_attribute("data-community") for row in shown] == ["c01"]
    month = datetime.now(ZONE).strftime("%Y-%m")
    browser.get(f"{workbench['portal']}/rosters/90-plus/{month}?community=c02")
    assert text(browser, "h1") == "无权访问"


def test_the_officer_downloads_the_months_high_age_report_from_its_cycle(browser, workbench):
    elder_id = registered(workbench, "冯寿昌", low_income=False, born=date(1936, 4, 5))
    officer = token_of(workbench, "officer")
    month = datetime.now(ZONE).strftime("%Y-%m")
    opened = requests.post(
        f"{workbench['allowances']}/cycles",
        json={"programme": "high_age", "month": month},
        headers=officer,
        timeout=60,
    )
    assert opened.status_code in (201, 409), opened.text  # another test may have opened it
    sign_in(browser, workbench, "officer", f"/cycles/high_age:{month}")
    link = wait(browser, 60).until(ready.presence_of_element_located((By.ID, "monthly-report")))
    assert "高龄津贴月报表" in link.text
    answer = requests.get(link.get_attribute("href"), cookies=session_cookies(browser), timeout=30)
    assert answer.status_code == 200, answer.text[:300]
    workbook = load_workbook(io.BytesIO(answer.content))
    rows = [list(r) for r in workbook["高龄津贴月报表"].iter_rows(values_only=True)]
    header = next(r for r in rows if r and r[0] == "社区")
    total = dict(zip(header, next(r for r in rows if r and r[0] == "全街道合计"), strict=True))
    report = requests.get(
        f"{workbench['allowances']}/reports/high-age/{month}", headers=officer, timeout=30
    ).json()
    assert total["发放人数"] == report["district"]["payees"] >= 1, elder_id
    printed = browser.find_element(By.ID, "monthly-report-pdf").get_attribute("href")
    answer = requests.get(printed, cookies=session_cookies(browser), timeout=60)
    assert answer.status_code == 200 and answer.content[:5] == b"%PDF-", answer.text[:300]


def test_the_officer_downloads_the_districts_whole_home_care_report_from_its_cycle(
    browser, workbench
):
    officer = token_of(workbench, "officer")
    month = datetime.now(ZONE).strftime("%Y-%m")
    opened = requests.post(
        f"{workbench['allowances']}/cycles",
        json={"programme": "home_care_voucher", "month": month},
        headers=officer,
        timeout=120,
    )
    assert opened.status_code in (201, 409), opened.text  # another test may have opened it
    page = f"{workbench['portal']}/cycles/home_care_voucher:{month}"
    sign_in(browser, workbench, "officer", page.removeprefix(workbench["portal"]))

    def listed() -> bool:  # the links show once the month's roll is written
        browser.get(page)
        return bool(browser.find_elements(By.ID, "home-care-report"))

    eventually(listed)
    cookies = session_cookies(browser)
    book = browser.find_element(By.ID, "home-care-report").get_attribute("href")
    answer = requests.get(book, cookies=cookies, timeout=60)
    assert answer.status_code == 200, answer.text[:300]
    first, second = load_workbook(io.BytesIO(answer.content)).worksheets
    # allowances' part (the households and the vouchers) bound before visits' (the visits and
    # the services), the district's figures in each
    assert first.title.endswith("居家养老对象与服务券") and second.title.endswith("走访与服务")
    for sheet in (first, second):
        assert any(r and r[0] == "全街道合计" for r in sheet.iter_rows(values_only=True))
    printed = browser.find_element(By.ID, "home-care-report-pdf").get_attribute("href")
    answer = requests.get(printed, cookies=cookies, timeout=60)
    assert answer.status_code == 200 and answer.content[:5] == b"%PDF-", answer.text[:300]
    text = pdf_text(answer.content)
    assert text.index("居家养老对象与服务券") < text.index("走访与服务")
