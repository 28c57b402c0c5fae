"""Browser tests of reorganising communities on the workbench: the district administrator plans
a merge of two communities of their own, is told beside the field what is wrong with a plan,
sees the preview, applies it and follows it to the end; the statistics then give the merged
community, and as of a day past, nothing of it."""

from datetime import date, datetime, timedelta

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from workbench import (
    ADMIN,
    ZONE,
    error_summary_links,
    needs_chromium,
    registered,
    sign_in,
    text,
    unlabelled_inputs,
    wait,
)

pytestmark = needs_chromium


def with_communities(workbench: dict, *added: tuple[str, str]) -> None:
    url = f"{workbench['intake']}/district"
    communities = requests.get(url, headers=ADMIN, timeout=10).json()["communities"]
    listed = [*communities, *({"code": code, "name": name} for code, name in added)]
    answer = requests.put(
        f"{url}/communities", json={"communities": listed}, headers=ADMIN, timeout=10
    )
    assert answer.status_code == 200, answer.text


def test_the_administrator_previews_a_merge_applies_it_and_the_statistics_follow(
    browser, workbench
):
    with_communities(workbench, ("m01", "梅东社区"), ("m02", "梅西社区"))
    registered(workbench, "梅一", date(1950, 1, 2), community="m01")
    registered(workbench, "梅二", date(1951, 3, 4), community="m01")
    registered(workbench, "梅三", date(1952, 5, 6), community="m02")

    sign_in(browser, workbench, "admin", "/administration/reorganisations")
    assert unlabelled_inputs(browser) == []
    browser.find_element(By.ID, "sources-m01").click()
    browser.find_element(By.ID, "target").send_keys("m09")
    browser.find_element(By.ID, "name").send_keys("梅园社区")
    browser.find_element(By.ID, "preview-plan").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert "至少涉及两个社区" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert browser.find_element(By.ID, "name").get_attribute("value") == "梅园社区"

    browser.find_element(By.ID, "sources-m02").click()
    browser.find_element(By.ID, "preview-plan").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "moves")))
    assert text(browser, "#moves tr[data-community='m01'] td") == "2"
    assert text(browser, "#moves tr[data-community='m02'] td") == "1"
    assert text(browser, "[data-figure='households']") == "3"
    assert text(browser, "[data-status]") == "已拟定，未执行"

    browser.find_element(By.ID, "apply").click()
    wait(browser, 90).until(
        ready.text_to_be_present_in_element((By.CSS_SELECTOR, "#progress [data-status]"), "已执行")
    )
    assert text(browser, "#moves caption") == "已调整"
    assert text(browser, "#moves tr[data-community='m02'] td") == "1"

    today = datetime.now(ZONE).date()
    browser.get(f"{workbench['portal']}/statistics?as_of={today.isoformat()}")
    assert "按当时的社区统计" in text(browser, "#as-of")
    assert "梅园社区" in browser.find_element(By.TAG_NAME, "main").text
    assert "梅东社区" not in browser.find_element(By.TAG_NAME, "main").text
    browser.get(f"{workbench['portal']}/statistics?as_of={today + timedelta(days=3)}")
    assert "as_of" in error_summary_links(browser)
