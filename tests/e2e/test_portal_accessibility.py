"""The workbench for people who use a screen reader, a keyboard or weak eyes: axe-core finds no
serious or critical violation on any page a role's menu offers (read from the page itself, so
that every page added to a menu is checked, and each must open for the role), on the sign-in
page, an elder's page and the visit form; and a visitor records a visit with the keyboard
alone, seeing where the focus is."""

from datetime import datetime

import pytest
import requests
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ready
from workbench import (
    E2E,
    ZONE,
    accessibility_violations,
    admitted_elder,
    menu_links,
    needs_chromium,
    obligation_of,
    sign_in,
    wait,
)

pytestmark = needs_chromium

ROLES = ("clerk", "visitor", "head", "officer", "approver", "admin")
READERS = {"clerk", "visitor", "head", "officer", "admin"}  # who may open an elder's page
WORKERS = {"visitor", "head", "admin"}  # who records visits


@pytest.fixture(scope="module")
def owed(workbench) -> dict:
    """An open obligation of an elder of c01, so that the worklist and the elder's timeline
    have something on them."""
    return admitted_elder(workbench, "陈玉兰")


@pytest.fixture(scope="module")
def a_cycle(workbench) -> None:
    """A monthly cycle, so that the cycle list links to a cycle's page (it may be open
    already: one per programme and month)."""
    opened = requests.post(
        f"{workbench['allowances']}/cycles",
        json={"programme": "home_care_voucher", "month": f"{datetime.now(ZONE):%Y-%m}"},
        headers=E2E["dev-officer"],
        timeout=120,
    )
    assert opened.status_code in (201, 409), opened.text


def checked_page(browser: WebDriver, url: str, found: dict[str, list[dict]]) -> None:
    browser.get(url)
    wait(browser).until(ready.presence_of_element_located((By.TAG_NAME, "main")))
    violations = accessibility_violations(browser)
    if violations:
        found[browser.current_url] = violations


def first_card(browser: WebDriver) -> str | None:
    """The first record a list page links to (a cycle, an obligation's visit), if any."""
    cards = browser.find_elements(By.CSS_SELECTOR, "main .card-link")
    return cards[0].get_attribute("href") if cards else None


def test_the_sign_in_page_and_its_errors_have_no_serious_violations(browser, workbench):
    found: dict[str, list[dict]] = {}
    checked_page(browser, workbench["portal"] + "/sign-in", found)
    browser.find_element(By.ID, "username").send_keys("clerk")
    browser.find_element(By.ID, "sign-in").click()  # no password: the error summary
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    errors = accessibility_violations(browser)
    if errors:
        found["sign-in with errors"] = errors
    assert not found, found


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_roles_menu_has_no_serious_violations(
    browser, workbench, owed, a_cycle, role
):
    sign_in(browser, workbench, role)
    portal = workbench["portal"]
    pages = menu_links(browser)
    assert pages, f"{role} has no menu"
    found: dict[str, list[dict]] = {}
    checked_page(browser, portal + "/", found)
    records: list[str] = []
    refused: list[str] = []  # a page the menu offers must open for the role
    for path in pages:
        checked_page(browser, portal + path, found)
        if browser.find_element(By.TAG_NAME, "h1").text.strip() == "无权访问":
            refused.append(path)
        card = first_card(browser)
        if card:
            records.append(card)
    for record in records:
        checked_page(browser, record, found)
    if role in READERS:
        checked_page(browser, f"{portal}/elders?name=陈玉兰&community=c01", found)
        checked_page(browser, f"{portal}/elders/{owed['elder_id']}", found)
    if role in WORKERS:
        checked_page(browser, f"{portal}/elders/{owed['elder_id']}/visits/new", found)
    browser.find_element(By.CSS_SELECTOR, "button[name=language][value=en]").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, "html[lang=en]")))
    violations = accessibility_violations(browser)
    if violations:
        found[f"{browser.current_url} (English)"] = violations
    assert not refused, f"{role}'s menu offers pages that refuse them: {refused}"
    assert not found, found


def press(browser: WebDriver, *keys: str) -> None:
    ActionChains(browser).send_keys(*keys).perform()


def focused(browser: WebDriver) -> dict:
    return browser.execute_script(
        """
        const e = document.activeElement, s = getComputedStyle(e);
        return {id: e.id, name: e.name, value: e.value, checked: e.checked,
                outline: s.outlineStyle, outlineWidth: s.outlineWidth, shadow: s.boxShadow};
        """
    )


def tab_to(browser: WebDriver, element_id: str, most: int = 40) -> dict:
    """Tab until the focus is on `element_id`; what is then focused."""
    for _ in range(most):
        press(browser, Keys.TAB)
        now = focused(browser)
        if now["id"] == element_id:
            return now
    pytest.fail(f"{element_id} not reached in {most} tabs; focus on {focused(browser)}")


def test_a_visitor_records_a_visit_with_the_keyboard_alone(browser, workbench):
    owed = admitted_elder(workbench, "林国栋")
    sign_in(browser, workbench, "visitor")
    browser.get(f"{workbench['portal']}/elders/{owed['elder_id']}/visits/new")
    wait(browser).until(ready.presence_of_element_located((By.ID, "visit-form")))
    assert browser.find_element(By.CSS_SELECTOR, "a.skip-link")  # the first tab stop

    obligation = tab_to(browser, "meets")
    assert (obligation["value"], obligation["checked"]) == (owed["obligation_id"], False)
    press(browser, Keys.SPACE)
    assert focused(browser)["checked"] is True
    ring = focused(browser)
    assert ring["outline"] != "none" or ring["shadow"] != "none", ring

    kind = tab_to(browser, "kind")  # the radio group: its chosen one, at home
    assert kind["checked"] is True
    press(browser, Keys.ARROW_DOWN)  # to the hospital
    assert (focused(browser)["value"], focused(browser)["checked"]) == ("hospital", True)

    findings = tab_to(browser, "findings")
    assert findings["outline"] != "none" and findings["outlineWidth"] != "0px", findings
    press(browser, "在医院探望，恢复良好")
    follow_up = tab_to(browser, "follow_up")
    assert follow_up["outline"] != "none" or follow_up["shadow"] != "none", follow_up
    press(browser, "下周电话回访", Keys.ENTER)  # Enter in a text field sends the form

    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".notice-success")))
    assert browser.current_url.endswith("/worklist")
    met = obligation_of(workbench, owed["elder_id"])
    assert met["status"] == "met", met
