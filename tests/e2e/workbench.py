"""What the workbench's browser tests share: a headless chromium, signing in, reading the page,
the records the scenarios need (an ID number, an elder registered or admitted to hospital),
and a change to an elder made through its page."""

import itertools
import random
import shutil
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait
from staff import WORKBENCH_STAFF, e2e_headers

from devstack.demo_records import hospital_admission
from services.intake.domain.national_id import check_character

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
needs_chromium = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="needs chromium and chromium-driver: devstack/install-chromium",
)

E2E = e2e_headers(WORKBENCH_STAFF)
ADMIN, CLERK, VISITOR = E2E["dev-admin"], E2E["dev-clerk"], E2E["dev-visitor"]
HOSPITAL = E2E["hospital"]
PHONE = (390, 844)
ZONE = ZoneInfo("Asia/Shanghai")


RECORDS = "eldercare_workbench"  # the workbench's own records: other tests open this month's cycles


def chrome(*, javascript: bool = True) -> WebDriver:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
    ):
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.implicitly_wait(0)
    return driver


def wait(driver: WebDriver, timeout: float = 15) -> WebDriverWait:
    """A wait that looks again when the page it was reading is replaced by the next one.
    Chromium reports that race either as a stale element or, when the node went between two of
    its own steps, as an unknown error ("Node with given id does not belong to the document");
    anything that lasts still ends the wait with a timeout."""
    return WebDriverWait(
        driver, timeout, ignored_exceptions=(StaleElementReferenceException, WebDriverException)
    )


# Each number of a run is another: drawn at random, two elders born the same day could collide.
SEQUENCES = itertools.count(random.randrange(999))


def national_id(born: date) -> str:
    first17 = f"330782{born:%Y%m%d}{next(SEQUENCES) % 999 + 1:03d}"
    return first17 + check_character(first17)


def wrong_check(number: str) -> str:
    return number[:17] + next(c for c in "0123456789X" if c != number[17])


def sign_in(driver: WebDriver, workbench: dict, username: str, path: str = "/") -> None:
    driver.get(workbench["portal"] + path)
    wait(driver).until(ready.presence_of_element_located((By.ID, "sign-in")))
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(workbench["passwords"][username])
    driver.find_element(By.ID, "sign-in").click()
    wait(driver).until(ready.presence_of_element_located((By.ID, "sign-out")))


def sign_out(driver: WebDriver) -> None:
    """Sign out, and wait for the sign-in page: a page asked for before it is back would race
    the sign-out's own redirect."""
    driver.find_element(By.ID, "sign-out").click()
    wait(driver).until(ready.presence_of_element_located((By.ID, "sign-in")))


def text(driver: WebDriver, css: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, css).text.strip()


def unlabelled_inputs(driver: WebDriver) -> list[str]:
    """Every input, select and textarea a user fills in that no label names."""
    return driver.execute_script(
        """
        return [...document.querySelectorAll('input, select, textarea')]
          .filter(e => e.type !== 'hidden')
          .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
          .map(e => e.outerHTML.slice(0, 120));
        """
    )


def error_summary_links(driver: WebDriver) -> dict[str, str]:
    links = driver.find_elements(By.CSS_SELECTOR, ".error-summary a")
    return {link.get_attribute("href").split("#")[1]: link.text for link in links}


def eventually(check, timeout: float = 60, every: float = 0.3):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(every)


def admitted_elder(workbench: dict, name: str) -> dict:
    """An elder of c01 admitted to hospital 73 hours ago, whose 72-hour visit is therefore
    overdue whatever the time of day: the obligation, once visits holds it."""
    number = national_id(date(1939, 8, 15))
    elder_id = registered_elder(workbench, name, number)
    occurred = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=73)
    sent = requests.post(
        f"{workbench['intake']}/inbound",
        json=hospital_admission(number, occurred),
        headers=HOSPITAL,
        timeout=10,
    )
    assert sent.status_code == 202, sent.text
    owed = eventually(lambda: obligation_of(workbench, elder_id))
    assert owed and owed["trigger"] == "hospitalised" and owed["assignee"] == "visitor", owed
    return owed


def registered_elder(workbench: dict, name: str, number: str, community: str = "c01") -> str:
    """An elder registered with intake (born as the ID number says): their id."""
    registered = requests.post(
        f"{workbench['intake']}/elders",
        json={
            "national_id": number,
            "name": name,
            "sex": "male" if int(number[16]) % 2 else "female",
            "birth_date": f"{number[6:10]}-{number[10:12]}-{number[12:14]}",
            "community": community,
            "address": f"解放路{number[-6:]}号",
        },
        headers=CLERK,
        timeout=10,
    )
    assert registered.status_code == 201, registered.text
    return registered.json()["elder_id"]


def obligation_of(workbench: dict, elder_id: str) -> dict | None:
    found = requests.get(
        f"{workbench['visits']}/obligations",
        params={"elder_id": elder_id},
        headers=VISITOR,
        timeout=10,
    ).json()
    return found["items"][0] if found.get("total") else None


def on_a_phone(browser: WebDriver) -> None:
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 3, "mobile": True},
    )


AXE = Path(__file__).resolve().parent / "vendor" / "axe-4.14.1.min.js"
BLOCKING = ("serious", "critical")


def accessibility_violations(
    driver: WebDriver, nodes: int = 3, impacts: tuple[str, ...] = BLOCKING
) -> list[dict]:
    """axe-core's violations of the page as it stands, of the `impacts` given (serious and
    critical unless told): each rule's id, its help and the targets of its first `nodes`
    elements."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(AXE.read_text())  # through the driver, so the page's CSP allows it
    driver.set_script_timeout(60)
    found = driver.execute_async_script(
        """
        const [nodes, blocking, done] = arguments;
        axe.run(document, {resultTypes: ['violations']})
          .then(r => done(r.violations
            .filter(v => blocking.includes(v.impact))
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        targets: v.nodes.slice(0, nodes).map(n => n.target.join(' '))}))))
          .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), targets: []}]));
        """,
        nodes,
        list(impacts),
    )
    return list(found)


def menu_links(driver: WebDriver) -> list[str]:
    """The paths of the page's menu, in its order: every page the signed-in role is offered."""
    return driver.execute_script(
        "return [...document.querySelectorAll('nav.menu ul a')].map(a => a.pathname);"
    )


def registered(workbench: dict, name: str, born: date, community: str = "c01", **more) -> dict:
    number = national_id(born)
    body = {
        "national_id": number,
        "name": name,
        "sex": "male" if int(number[16]) % 2 else "female",
        "birth_date": born.isoformat(),
        "community": community,
        "address": f"解放路{number[-6:]}号",
        **more,
    }
    answer = requests.post(f"{workbench['intake']}/elders", json=body, headers=CLERK, timeout=10)
    assert answer.status_code == 201, answer.text
    return answer.json()


def stored(workbench: dict, elder_id: str) -> dict:
    answer = requests.get(f"{workbench['intake']}/elders/{elder_id}", headers=ADMIN, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def type_date(driver: WebDriver, field: WebElement, day: date) -> None:
    """Types a date into a date field in the order the browser's language shows it."""
    order = driver.execute_script(
        "return new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2001, 1, 3))"
        ".filter(p => p.type !== 'literal').map(p => p.type)"
    )
    parts = {"year": f"{day:%Y}", "month": f"{day:%m}", "day": f"{day:%d}"}
    field.send_keys("".join(parts[part] for part in order))


def open_action(driver: WebDriver, name: str) -> None:
    driver.find_element(By.ID, f"action-{name}").click()
    wait(driver).until(ready.presence_of_element_located((By.ID, "send")))
    assert unlabelled_inputs(driver) == []


def pressed(driver: WebDriver, button: WebElement, shows: str = ".notice-success") -> None:
    """A form's button pressed, and the page it leads to shown with its notice of success (or
    what `shows` names). The page pressed on must be gone first: it may still show the notice of
    an earlier action."""
    button.click()
    wait(driver, 30).until(ready.staleness_of(button))
    wait(driver, 30).until(ready.presence_of_element_located((By.CSS_SELECTOR, shows)))


def sent(driver: WebDriver) -> None:
    """The form sent, and intake's answer shown: the elder's page, or the errors. The page
    that was sent must be gone first: it may itself show errors from an earlier try."""
    button = driver.find_element(By.ID, "send")
    button.click()
    wait(driver, 30).until(ready.staleness_of(button))
    wait(driver, 30).until(
        ready.presence_of_element_located(
            (By.CSS_SELECTOR, ".notice-success, .error-summary, #elder-summary")
        )
    )
