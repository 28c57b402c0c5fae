"""Browser tests of reorganising communities on the workbench: the district administrator plans
a merge of two communities of their own, is told beside the field what is wrong with a plan,
sees the preview, applies it and follows it to the end; the statistics then give the merged
community, and as of a day past, nothing of it. A split by a building and an address previews
the open visits that follow its elders, and is cancelled."""

from datetime import date, datetime, timedelta

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from workbench import (
    ADMIN,
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


def opened_building(workbench: dict, community: str, name: str, address: str) -> str:
    """A building of the community's grid, its households placed in it by their address."""
    body = {"community": community, "kind": "building", "name": name, "address": address}
    grid = f"{workbench['intake']}/grid"
    opened = requests.post(grid, json=body, headers=ADMIN, timeout=10)
    assert opened.status_code == 201, opened.text
    cell_id = opened.json()["cell_id"]
    placed = requests.post(f"{grid}/{cell_id}/placement", headers=ADMIN, timeout=10)
    assert placed.status_code == 200, placed.text
    return cell_id


def test_a_split_by_building_and_address_previews_the_open_visits_that_follow_its_elders(
    browser, workbench
):
    with_communities(workbench, ("s01", "松林社区"))
    by_address = registered(workbench, "松一", date(1948, 1, 2), community="s01")
    leaving = registered(
        workbench, "松二", date(1947, 3, 4), community="s01", address="松林路1号楼2-101"
    )
    cell_id = opened_building(workbench, "s01", "1号楼", "松林路1号楼")
    for elder in (by_address, leaving):
        known = f"{workbench['visits']}/elders/{elder['elder_id']}"
        assert eventually(lambda: requests.get(known, headers=ADMIN, timeout=10).ok)  # noqa: B023
        reported = requests.post(
            f"{workbench['visits']}/obligations",
            json={
                "elder_id": elder["elder_id"],
                "trigger": "hospitalised",
                "occurred_at": (datetime.now(ZONE) - timedelta(hours=1)).isoformat(),
            },
            headers=ADMIN,
            timeout=10,
        )
        assert reported.status_code == 201, reported.text
    in_building = f"{workbench['visits']}/obligations"
    query = {"cell_id": cell_id, "status": "open"}
    assert eventually(  # until visits has heard of the building (404 before) and placed them
        lambda: (
            requests.get(in_building, params=query, headers=ADMIN, timeout=10).json().get("total")
        )
    ), "visits never placed the elder's household in the building"

    sign_in(browser, workbench, "admin", "/administration/reorganisations")
    browser.find_element(By.ID, "kind-split").click()
    browser.find_element(By.ID, "sources-s01").click()
    browser.find_element(By.ID, "target").send_keys("s02")
    browser.find_element(By.ID, "name").send_keys("松南社区")
    browser.find_element(By.ID, "cells").send_keys("1号楼")
    browser.find_element(By.ID, "addresses").send_keys(by_address["address"])  # and one home more
    browser.find_element(By.ID, "preview-plan").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "moves")))
    assert text(browser, "#moves tr[data-community='s01'] td") == "2"
    assert text(browser, "[data-figure='cells']") == "1"
    assert text(browser, "[data-figure='open-work']") == "2"  # the building's, the address's

    pressed(browser, browser.find_element(By.ID, "cancel"))
    assert text(browser, "[data-status]") == "已取消"
