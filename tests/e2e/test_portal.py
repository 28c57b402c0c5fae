"""The staff workbench in a real browser (Debian's chromium, driven by chromium-driver under
Selenium), against the real services as `./dev up` runs them: a clerk registers an elder, a
hospital admission reaches the visitor's worklist on a phone, and a sign-in that expires keeps
what was typed."""

import secrets
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import requests
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select, WebDriverWait
from workbench import (
    ADMIN,
    CLERK,
    PHONE,
    RECORDS,
    ZONE,
    admitted_elder,
    chrome,
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
    wrong_check,
)

from devstack.processes import free_port, stop
from devstack.stack import (
    DEV_PORTAL_SECRET_KEY,
    intake_store,
    portal_env,
    service_env,
    start_api,
    start_portal,
)
from devstack.stack import sign_in as api_sign_in
from portal.app import create_app as create_portal
from portal.config import PortalSettings
from services.intake.service_layer.users import create_user
from shared.ages import age_on

pytestmark = needs_chromium


def test_a_clerk_registers_an_elder_after_the_check_character_is_put_right(browser, workbench):
    born = date(1941, 5, 20)
    number = national_id(born)
    browser.get(workbench["portal"] + "/elders/new")
    assert unlabelled_inputs(browser) == []  # the sign-in page's
    browser.find_element(By.ID, "username").send_keys("clerk")
    browser.find_element(By.ID, "password").send_keys("not the password")
    browser.find_element(By.ID, "sign-in").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert error_summary_links(browser) == {"password": "用户名或密码错误。"}
    assert "用户名或密码错误" in text(browser, "#password-group .field-error")
    assert browser.find_element(By.ID, "username").get_attribute("value") == "clerk"
    sign_in(browser, workbench, "clerk")
    assert browser.current_url.endswith("/elders/new"), "the clerk's work opens first"
    assert text(browser, "h1") == "老年人信息登记"
    assert text(browser, ".menu a[aria-current=page]") == "老年人信息登记"
    assert unlabelled_inputs(browser) == []

    id_field = browser.find_element(By.ID, "national_id")
    id_field.send_keys(wrong_check(number))
    inline = wait(browser).until(
        ready.visibility_of_element_located((By.ID, "national_id-inline-error"))
    )
    assert "校验码" in inline.text and f"应为 {number[17]}" in inline.text

    # Sent anyway: intake refuses it, and its error stands beside the field, what was typed kept.
    browser.find_element(By.ID, "name").send_keys("周桂兰")
    browser.find_element(By.ID, "address").send_keys("新华路8号2-301")
    Select(browser.find_element(By.ID, "community")).select_by_value("c01")
    browser.find_element(By.ID, "register").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert browser.title.startswith("错误：")
    summary = error_summary_links(browser)
    assert "校验码" in summary["national_id"]
    # birth date and sex, which the number was to give, are missing: said of each field
    assert (summary["birth_date"], summary["sex"]) == ("请填写出生日期。", "请选择性别。")
    assert list(summary)[:3] == ["national_id", "birth_date", "sex"]  # in the form's order
    beside = text(browser, "#national_id-group .field-error")
    assert "校验码" in beside and f"应为 {number[17]}" in beside
    assert browser.find_element(By.ID, "name").get_attribute("value") == "周桂兰"
    assert browser.find_element(By.ID, "address").get_attribute("value") == "新华路8号2-301"
    assert (
        Select(browser.find_element(By.ID, "community")).first_selected_option.get_attribute(
            "value"
        )
        == "c01"
    )

    id_field = browser.find_element(By.ID, "national_id")
    id_field.send_keys("\b")  # the wrong check character out, the right one in
    id_field.send_keys(number[17])
    derived = wait(browser).until(
        ready.visibility_of_element_located((By.ID, "national_id-derived"))
    )
    age = age_on(born, datetime.now(ZONE).date())
    assert "1941-05-20" in derived.text and f"{age} 周岁" in derived.text
    sex = "male" if int(number[16]) % 2 else "female"
    assert browser.find_element(By.ID, "birth_date").get_attribute("value") == "1941-05-20"
    assert browser.find_element(By.CSS_SELECTOR, f"input[name=sex][value={sex}]").is_selected()

    browser.find_element(By.ID, "register").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "elder-summary")))
    assert text(browser, "h1") == "周桂兰"
    assert "已登记" in text(browser, ".notice-success")
    assert text(browser, "#elder-age") == str(age)
    elder_id = browser.current_url.rsplit("/", 1)[1]
    stored = requests.get(f"{workbench['intake']}/elders/{elder_id}", headers=CLERK, timeout=10)
    assert (stored.json()["national_id"], stored.json()["sex"]) == (number, sex)


def test_the_registration_works_without_javascript_and_in_english(workbench):
    driver = chrome(javascript=False)
    try:
        born = date(1936, 11, 2)
        number = national_id(born)
        sign_in(driver, workbench, "clerk", "/elders/new")
        driver.find_element(By.CSS_SELECTOR, "button[name=language][value=en]").click()
        wait(driver).until(ready.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Register"))
        assert text(driver, "h1") == "Register an elder"
        # Only the ID number, name, community and address: birth date and sex come from it.
        driver.find_element(By.ID, "national_id").send_keys(number)
        driver.find_element(By.ID, "name").send_keys("Liu Fang")
        Select(driver.find_element(By.ID, "community")).select_by_value("c02")
        driver.find_element(By.ID, "register").click()
        wait(driver).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
        assert error_summary_links(driver) == {"address": "Enter the address."}
        assert "Enter the address." in text(driver, "#address-group .field-error")
        assert driver.find_element(By.ID, "birth_date").get_attribute("value") == "1936-11-02"
        driver.find_element(By.ID, "address").send_keys("Jiefang Road 3")
        driver.find_element(By.ID, "register").click()
        wait(driver).until(ready.presence_of_element_located((By.ID, "elder-summary")))
        assert text(driver, "h1") == "Liu Fang"
        assert text(driver, "#elder-national-id") == number
    finally:
        driver.quit()


def test_a_hospital_admission_reaches_the_visitors_phone_and_the_visit_meets_it(browser, workbench):
    owed = admitted_elder(workbench, "吴美玲")
    on_a_phone(browser)
    sign_in(browser, workbench, "visitor")
    assert browser.current_url.endswith("/worklist")
    assert browser.execute_script("return [window.innerWidth, window.innerHeight]") == list(PHONE)
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"the worklist is {width}px wide on a {PHONE[0]}px phone"
    assert text(browser, "h1") == "我的走访任务"
    card = browser.find_element(
        By.CSS_SELECTOR, f"#overdue [data-obligation='{owed['obligation_id']}']"
    )
    assert "吴美玲" in card.text and "生病住院" in card.text
    assert card.size["width"] <= PHONE[0]
    assert unlabelled_inputs(browser) == []

    card.find_element(By.TAG_NAME, "a").click()  # one tap to the visit
    wait(browser).until(ready.presence_of_element_located((By.ID, "visit-form")))
    assert unlabelled_inputs(browser) == []
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"the visit form is {width}px wide on a {PHONE[0]}px phone"
    meets = browser.find_element(By.CSS_SELECTOR, f"input[value='{owed['obligation_id']}']")
    assert meets.is_selected(), "the obligation tapped is the one the visit meets"
    assert browser.find_element(By.ID, "kind").is_selected()  # at home, the usual
    button = browser.find_element(By.ID, "record-visit")
    assert button.size["height"] >= 44, "a thumb-sized button"
    browser.find_element(By.ID, "kind-phone").click()
    browser.find_element(By.ID, "findings").send_keys("已出院回家，精神尚可")
    button.click()
    # Visits refuses it (a call meets no obligation): said beside the obligations, in Chinese.
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert "当面走访" in error_summary_links(browser)["meets"]
    assert "当面走访" in text(browser, "#meets-group .field-error")
    assert browser.find_element(By.ID, "findings").get_attribute("value") == "已出院回家，精神尚可"
    assert browser.find_element(
        By.CSS_SELECTOR, f"input[value='{owed['obligation_id']}']"
    ).is_selected()
    browser.find_element(By.ID, "kind").click()  # at home after all
    browser.find_element(By.ID, "record-visit").click()  # and one tap to save it

    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".notice-success")))
    assert browser.current_url.endswith("/worklist")
    assert "完成了 1 项走访任务" in text(browser, ".notice-success")
    assert not browser.find_elements(
        By.CSS_SELECTOR, f"[data-obligation='{owed['obligation_id']}']"
    ), "a met obligation leaves the worklist"
    met = obligation_of(workbench, owed["elder_id"])
    assert met["status"] == "met" and met["visit_id"], met

    # Then how satisfied they were, in three taps: the visit waits on the worklist to be rated.
    browser.find_element(By.CSS_SELECTOR, f"#to-rate [data-visit='{met['visit_id']}'] a").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "record-rating")))
    assert unlabelled_inputs(browser) == []
    browser.find_element(By.CSS_SELECTOR, "label[for='rating-4']").click()
    browser.find_element(By.CSS_SELECTOR, "label[for='given_by-family']").click()
    pressed(browser, browser.find_element(By.ID, "record-rating"))
    assert not browser.find_elements(By.CSS_SELECTOR, f"[data-visit='{met['visit_id']}']")
    rated = requests.get(
        f"{workbench['visits']}/feedback",
        params={"elder_id": owed["elder_id"]},
        headers=ADMIN,
        timeout=10,
    ).json()["items"]
    assert [(f["rating"], f["given_by"], f["worker"]) for f in rated] == [(4, "family", "visitor")]

    # The elder's page, found by name: the timeline across the services the visitor may read.
    browser.find_element(By.LINK_TEXT, "查找老年人").click()
    browser.find_element(By.ID, "name").send_keys("吴美玲")
    Select(browser.find_element(By.ID, "community")).select_by_value("c01")
    browser.find_element(By.ID, "search").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "results-title")))
    assert unlabelled_inputs(browser) == []
    # The live search may swap the results once more while the link is clicked: click again.
    target = (By.CSS_SELECTOR, f"#results .card-link[href$='/elders/{owed['elder_id']}']")
    WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda driver: driver.find_element(*target).click() or True
    )
    wait(browser).until(ready.presence_of_element_located((By.ID, "timeline")))
    entries = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#timeline li")]
    assert any("走访任务已完成：生病住院" in e and "逾期完成" in e for e in entries), entries
    assert any("走访记录：入户走访" in e and "已出院回家" in e for e in entries), entries
    assert any("走访任务：生病住院" in e for e in entries), entries
    # registered by the tests' own clerk (workbench.CLERK), through the API
    assert any(e.split("\n")[1:] == ["登记", "api-clerk"] for e in entries), entries
    services = {
        e.get_attribute("data-service")
        for e in browser.find_elements(By.CSS_SELECTOR, "#timeline li")
    }
    assert services == {"intake", "visits"}
    assert "津贴" in text(browser, "#timeline-hidden")  # allowances are not the visitor's


def test_a_visitor_owed_more_this_week_than_a_page_holds_is_told_how_much_is_shown(
    browser, workbench, infra, ports
):
    """The worklist lists the week's hundred due soonest; a visitor owed more (here, 101
    overdue visits in a community of their own) is told on the phone how many of how many."""
    community, username, owed = "c07", "busy-visitor", 101
    password = secrets.token_urlsafe(12)
    create_user(
        intake_store(infra, ports, MONGO_DB=RECORDS), username, password, ["visitor"], community
    )
    workbench["passwords"][username] = password
    put = requests.put(
        f"{workbench['visits']}/config/communities/{community}",
        json={"worker": username},
        headers=ADMIN,
        timeout=10,
    )
    assert put.status_code == 200, put.text
    visitor = {"Authorization": f"Bearer {api_sign_in(workbench['intake'], username, password)}"}
    occurred = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=80)

    def reported(elder_id: str) -> bool:  # once visits knows the elder from intake's event
        answer = requests.post(
            f"{workbench['visits']}/obligations",
            json={
                "elder_id": elder_id,
                "trigger": "hospitalised",
                "occurred_at": occurred.isoformat(),
            },
            headers=visitor,
            timeout=10,
        )
        assert answer.status_code in (201, 404), answer.text
        return answer.status_code == 201

    for n in range(owed):
        elder_id = registered_elder(workbench, f"许{n}", national_id(date(1941, 3, 9)), community)
        eventually(lambda elder_id=elder_id: reported(elder_id))

    on_a_phone(browser)
    sign_in(browser, workbench, username)
    assert browser.current_url.endswith("/worklist")
    notice = text(browser, "#work-cut-short")
    assert notice.startswith(
        f"本周内到期的待办走访任务共 {owed} 项，这里显示最早到期的 100 项。"
    ), notice
    assert len(browser.find_elements(By.CSS_SELECTOR, "#overdue [data-obligation]")) == 100
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"the worklist is {width}px wide on a {PHONE[0]}px phone"


@pytest.fixture
def short_lived(workbench, infra, run_dir, ports) -> Iterator[str]:
    """A workbench whose intake issues tokens that last 4 seconds."""
    intake_port, portal_port = free_port(), free_port()
    env = service_env("intake", infra, ports, ELDERCARE_TOKEN_TTL_SECONDS="4", MONGO_DB=RECORDS)
    start_api(run_dir, "intake", intake_port, env, name="intake-api-short")
    apis = {**ports.apis, "intake": intake_port}
    env = portal_env(
        ports, PORTAL_APIS=",".join(f"{s}=http://127.0.0.1:{p}" for s, p in apis.items())
    )
    start_portal(run_dir, portal_port, env, name="portal-short")
    yield f"http://127.0.0.1:{portal_port}"
    for name in ("portal-short", "intake-api-short"):
        stop(name, run_dir)


def test_an_expired_sign_in_keeps_the_form_until_the_clerk_is_back(browser, workbench, short_lived):
    number = national_id(date(1944, 3, 7))
    sign_in(browser, {**workbench, "portal": short_lived}, "clerk", "/elders/new")
    browser.find_element(By.ID, "national_id").send_keys(number)
    browser.find_element(By.ID, "name").send_keys("郑淑珍")
    browser.find_element(By.ID, "address").send_keys("人民路5号")
    Select(browser.find_element(By.ID, "community")).select_by_value("c03")
    browser.find_element(By.ID, "low_income").click()
    time.sleep(5)  # the token expires while the clerk types
    browser.find_element(By.ID, "register").click()

    wait(browser).until(ready.presence_of_element_located((By.ID, "sign-in")))
    assert "登录已过期" in text(browser, ".notice")
    browser.find_element(By.ID, "username").send_keys("clerk")
    browser.find_element(By.ID, "password").send_keys(workbench["passwords"]["clerk"])
    browser.find_element(By.ID, "sign-in").click()

    wait(browser).until(ready.presence_of_element_located((By.ID, "register-form")))
    assert browser.current_url == f"{short_lived}/elders/new"
    assert "内容已保留" in text(browser, ".notice")
    assert browser.find_element(By.ID, "national_id").get_attribute("value") == number
    assert browser.find_element(By.ID, "name").get_attribute("value") == "郑淑珍"
    assert browser.find_element(By.ID, "address").get_attribute("value") == "人民路5号"
    assert browser.find_element(By.ID, "low_income").is_selected()
    community = Select(browser.find_element(By.ID, "community")).first_selected_option
    assert community.get_attribute("value") == "c03"
    browser.find_element(By.ID, "register").click()
    try:
        wait(browser).until(ready.presence_of_element_located((By.ID, "elder-summary")))
    except TimeoutException:
        pytest.fail(f"not registered: {browser.find_element(By.TAG_NAME, 'main').text}")
    assert text(browser, "h1") == "郑淑珍"


@pytest.fixture
def visits_refusing_soon(workbench, infra, run_dir, ports) -> Iterator[str]:
    """A workbench whose visits API refuses tokens older than 6 seconds, while intake issues
    them for hours: the workbench believes the session valid, and learns otherwise from a 401."""
    visits_port, portal_port = free_port(), free_port()
    env = service_env("visits", infra, ports, ELDERCARE_TOKEN_TTL_SECONDS="6", MONGO_DB=RECORDS)
    start_api(run_dir, "visits", visits_port, env, name="visits-api-short")
    apis = {**ports.apis, "visits": visits_port}
    env = portal_env(
        ports, PORTAL_APIS=",".join(f"{s}=http://127.0.0.1:{p}" for s, p in apis.items())
    )
    start_portal(run_dir, portal_port, env, name="portal-short-visits")
    yield f"http://127.0.0.1:{portal_port}"
    for name in ("portal-short-visits", "visits-api-short"):
        stop(name, run_dir)


def test_a_token_a_service_refuses_sends_the_visitor_to_sign_in_with_the_visit_kept(
    browser, workbench, visits_refusing_soon
):
    owed = admitted_elder(workbench, "孙建国")
    on_a_phone(browser)
    record = f"/elders/{owed['elder_id']}/visits/new?meets={owed['obligation_id']}"
    sign_in(browser, {**workbench, "portal": visits_refusing_soon}, "visitor", record)
    assert browser.find_element(By.CSS_SELECTOR, f"input[value='{owed['obligation_id']}']")
    browser.find_element(By.ID, "kind-hospital").click()
    browser.find_element(By.ID, "findings").send_keys("在医院探望，已好转")
    time.sleep(7)  # visits no longer takes the token
    browser.find_element(By.ID, "record-visit").click()

    wait(browser).until(ready.presence_of_element_located((By.ID, "sign-in")))
    assert "登录已过期" in text(browser, ".notice")
    assert obligation_of(workbench, owed["elder_id"])["status"] == "open"
    browser.find_element(By.ID, "username").send_keys("visitor")
    browser.find_element(By.ID, "password").send_keys(workbench["passwords"]["visitor"])
    browser.find_element(By.ID, "sign-in").click()

    wait(browser).until(ready.presence_of_element_located((By.ID, "visit-form")))
    assert "内容已保留" in text(browser, ".notice")
    assert browser.find_element(By.ID, "findings").get_attribute("value") == "在医院探望，已好转"
    assert browser.find_element(By.ID, "kind-hospital").is_selected()
    meets = browser.find_element(By.CSS_SELECTOR, f"input[value='{owed['obligation_id']}']")
    assert meets.is_selected()
    browser.find_element(By.ID, "record-visit").click()
    try:
        wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".notice-success")))
    except TimeoutException:
        pytest.fail(f"not recorded: {browser.find_element(By.TAG_NAME, 'main').text}")
    met = obligation_of(workbench, owed["elder_id"])
    assert met["status"] == "met", met


def test_a_cycle_is_approved_by_another_than_its_preparer(browser, workbench):
    # One person who both prepares and approves: the page keeps them from approving their own.
    both = requests.post(
        f"{workbench['intake']}/users",
        json={
            "username": "officer2",
            "password": "officer2-password",
            "roles": ["allowance_officer", "approver"],
        },
        headers=ADMIN,
        timeout=10,
    )
    assert both.status_code == 201, both.text
    passwords = {**workbench["passwords"], "officer2": "officer2-password"}
    sign_in(browser, {**workbench, "passwords": passwords}, "officer2")
    assert browser.current_url.endswith("/cycles")
    assert text(browser, "h1") == "月度发放批次"
    assert unlabelled_inputs(browser) == []
    Select(browser.find_element(By.ID, "programme")).select_by_value("high_age")
    browser.find_element(By.ID, "open").click()
    wait(browser, 60).until(ready.presence_of_element_located((By.ID, "steps")))
    assert "已生成" in text(browser, ".notice-success") or "生成" in text(
        browser, ".notice-success"
    )
    assert text(browser, ".step-current") == "生成"
    cycle_url = browser.current_url
    assert unlabelled_inputs(browser) == []
    browser.find_element(By.ID, "note").send_keys("名册已核对")
    browser.find_element(By.ID, "review").click()
    wait(browser).until(
        ready.text_to_be_present_in_element((By.CSS_SELECTOR, ".step-current"), "审核")
    )
    assert "不能审批" in text(browser, "#own-cycle")
    assert not browser.find_elements(By.ID, "approve"), "no approve button for the preparer"
    sign_out(browser)

    sign_in(browser, workbench, "approver", cycle_url.split(workbench["portal"], 1)[1])
    assert not browser.find_elements(By.ID, "own-cycle")
    browser.find_element(By.ID, "approve").click()
    wait(browser).until(
        ready.text_to_be_present_in_element((By.CSS_SELECTOR, ".step-current"), "审批")
    )
    assert "已审批" in text(browser, ".notice-success")
    assert (text(browser, "#opened-by"), text(browser, "#approved-by")) == ("officer2", "approver")


def test_signing_out_of_the_workbench_revokes_the_token_it_held(browser, workbench):
    sign_in(browser, workbench, "clerk")
    cookie = browser.get_cookie("eldercare_portal")["value"]
    portal = create_portal(PortalSettings(secret_key=DEV_PORTAL_SECRET_KEY))
    token = portal.session_interface.get_signing_serializer(portal).loads(cookie)["token"]
    held = {"Authorization": f"Bearer {token}"}
    district = f"{workbench['intake']}/district"
    assert requests.get(district, headers=held, timeout=10).status_code == 200
    sign_out(browser)
    refused = requests.get(district, headers=held, timeout=10)
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
