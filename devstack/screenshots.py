"""`./dev screenshots`: pictures of the staff workbench for the documentation.

Starts the system on free ports of its own with demonstration records (devstack/demo_records.py),
signs each role in with a headless chromium, saves every page of that role's menu (read from
the page's navigation, so a page added to a menu is pictured too) and the records they lead to
into docs/screenshots/, writes docs/screenshots/README.md listing them, and stops every process
it started, by PID.
"""

import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from devstack import demo_accountability, demo_activities, demo_records
from devstack.paths import REPO_ROOT
from devstack.stack import (
    SERVICES,
    STAFF_ACCOUNTS,
    Ports,
    intake_store,
    machine_token,
    seed_staff,
    staff_tokens,
    start_infrastructure,
    start_services,
    stop_all,
    write_state,
)

TARGET = REPO_ROOT / "docs" / "screenshots"
DESKTOP = (1280, 900)
PHONE = (390, 844)
ROLES = [name for name, a in STAFF_ACCOUNTS.items() if a.role != "operator"]  # the console's
# Records a role's menu pages lead to, as (file name, path); {…} from demo_records.load.
RECORDS = {
    "clerk": [("elders-c01", "/elders?community=c01")],
    "admin": [
        ("elder", "/elders/{elder_id}"),  # who reads every service's part of it
        ("scorecards-counted", "/scorecards?fresh=1"),  # counted again after the demo's records
    ],
    "visitor": [
        ("visit-form", "/elders/{elder_id}/visits/new?meets={obligation_id}"),
        ("activities-occasion", "/activities/occasions/{occasion_id}"),
    ],
    "head": [
        ("activities-courses", "/activities/courses"),
        ("activities-course", "/activities/courses/{course_id}"),
        ("activities-team", "/activities/teams/{team_id}"),
        ("activities-service", "/activities/service"),
        ("plan", "/plans?community=c01"),
        ("scorecard", "/scorecards/c01"),
        ("scorecard-must-visits", "/scorecards/c01/must_visits_in_time"),
        ("budget", "/budgets?community=c01"),
    ],
    "officer": [("cycle", "/cycles/{cycle_id}")],
}
ON_A_PHONE = {  # the visitor works on a phone
    "visitor": ("worklist", "visit-form", "activities-occasion"),
}


@dataclass(frozen=True)
class Shot:
    file: str
    role: str
    title: str
    path: str
    size: tuple[int, int]


def chromium() -> WebDriver:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument("--hide-scrollbars")
    return webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))


def viewport(driver: WebDriver, size: tuple[int, int]) -> None:
    phone = size == PHONE
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": phone},
    )


def sign_in(driver: WebDriver, portal: str, username: str, password: str) -> None:
    driver.get(f"{portal}/sign-in")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "sign-in").click()
    WebDriverWait(driver, 30).until(ready.presence_of_element_located((By.ID, "sign-out")))


def menu_paths(driver: WebDriver) -> list[str]:
    return list(
        driver.execute_script(
            "return [...document.querySelectorAll('nav.menu ul a')].map(a => a.pathname);"
        )
    )


def file_name(path: str) -> str:
    """`/elders/new` -> `elders-new`; the start page is `home`."""
    return path.strip("/").split("?")[0].replace("/", "-") or "home"


def shoot(
    driver: WebDriver, url: str, name: str, role: str, size: tuple[int, int], shown: str = ""
) -> Shot:
    """The page at `url` as a picture; `shown` is its path as the index gives it."""
    viewport(driver, size)
    driver.get(url)
    WebDriverWait(driver, 30).until(ready.presence_of_element_located((By.TAG_NAME, "main")))
    file = f"{name}{'-phone' if size == PHONE else ''}.png"
    driver.save_screenshot(str(TARGET / file))
    title = driver.title.split(" – ")[0]
    return Shot(file, role, title, shown or urlsplit(url).path, size)


def role_shots(
    driver: WebDriver, portal: str, role: str, password: str, demo: dict[str, Any]
) -> list[Shot]:
    viewport(driver, DESKTOP)
    sign_in(driver, portal, role, password)
    pages = [(file_name(p), p) for p in menu_paths(driver)]
    landed = driver.current_url.removeprefix(portal)
    if landed not in [p for _, p in pages]:
        pages.insert(0, (file_name(landed), landed))
    pages += RECORDS.get(role, [])
    ids = {"obligation_id": demo["obligations"][0]["obligation_id"], **demo}
    shots = []
    for name, path in pages:
        url = portal + path.format(**ids)
        sizes = (DESKTOP, PHONE) if name in ON_A_PHONE.get(role, ()) else (DESKTOP,)
        shots += [shoot(driver, url, f"{role}-{name}", role, size, path) for size in sizes]
    driver.delete_all_cookies()
    return shots


def index(shots: list[Shot]) -> str:
    lines = [
        "# The workbench, page by page",
        "",
        "Made by `./dev screenshots` with demonstration records (`devstack/demo_records.py`):",
        "every page of each role's menu (`portal/menus.py`), and the records they lead to;",
        f"desktop pictures are {DESKTOP[0]}×{DESKTOP[1]}, phone ones {PHONE[0]}×{PHONE[1]}. Run it",
        "again when a page changes or a menu gains one.",
        "",
        "| role | page | size | picture |",
        "| --- | --- | --- | --- |",
    ]
    for shot in shots:
        size = "phone" if shot.size == PHONE else "desktop"
        picture = f"[{shot.file}]({shot.file})"
        lines.append(f"| {shot.role} | {shot.title} (`{shot.path}`) | {size} | {picture} |")
    return "\n".join(lines) + "\n"


def take(portal: str, passwords: dict[str, str], demo: dict[str, Any]) -> list[Shot]:
    for old in TARGET.glob("*.png"):
        old.unlink()
    driver = chromium()
    try:
        viewport(driver, DESKTOP)
        shots = [shoot(driver, f"{portal}/sign-in", "sign-in", "everyone", DESKTOP)]
        for role in ROLES:
            shots += role_shots(driver, portal, role, passwords[role], demo)
    finally:
        driver.quit()
    return shots


def main() -> int:
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        print("screenshots: needs chromium and chromedriver (devstack/install-chromium)")
        return 1
    run_dir = Path(tempfile.mkdtemp(prefix="eldercare-screenshots-"))
    ports = Ports.free()
    TARGET.mkdir(parents=True, exist_ok=True)
    try:
        infra = start_infrastructure(run_dir, ports)
        write_state(run_dir, infra, ports)
        start_services(run_dir, infra, ports, LOG_LEVEL="WARNING")
        urls = {s: f"http://127.0.0.1:{ports.apis[s]}" for s in SERVICES}
        accounts = seed_staff(run_dir, urls, intake_store(infra, ports))
        passwords = {name: password or "" for name, (_, password) in accounts.items()}
        tokens = staff_tokens(run_dir, urls["intake"], dict(passwords))
        tokens["hospital"] = machine_token(run_dir, "hospital")
        demo = demo_records.load(urls, tokens)
        demo |= demo_activities.load(urls["visits"], tokens["head"], tokens["visitor"])
        demo_accountability.load(urls["visits"], tokens["head"])
        shots = take(f"http://127.0.0.1:{ports.portal}", passwords, demo)
    finally:
        for name, outcome in stop_all(run_dir).items():
            if outcome != "not started":
                print(f"screenshots: {name} {outcome}")
        shutil.rmtree(run_dir, ignore_errors=True)
    (TARGET / "README.md").write_text(index(shots))
    for shot in shots:
        print(f"wrote docs/screenshots/{shot.file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
