"""The elder's page in a real browser against the real services: a clerk records a move and a
death through their pages, intake's refusals stand beside their fields, an identity correction
is decided by another administrator than the one who asked, and the register is searched with
filters that the pages of results keep."""

import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select
from workbench import (
    ADMIN,
    ZONE,
    chrome,
    error_summary_links,
    national_id,
    needs_chromium,
    open_action,
    pressed,
    registered,
    sent,
    sign_in,
    sign_out,
    stored,
    text,
    type_date,
    unlabelled_inputs,
    wait,
)

pytestmark = needs_chromium


def community_name(workbench: dict, code: str) -> str:
    district = requests.get(f"{workbench['intake']}/district", headers=ADMIN, timeout=10).json()
    return next(c["name"] for c in district["communities"] if c["code"] == code)


def test_a_clerk_records_a_move_then_a_death_refused_at_first_for_a_day_to_come(browser, workbench):
    elder = registered(workbench, "何秀英", date(1938, 4, 12))
    today = datetime.now(ZONE).date()
    sign_in(browser, workbench, "clerk", f"/elders/{elder['elder_id']}")
    assert text(browser, "#elder-status") == "在册"
    assert not browser.find_elements(By.ID, "action-death-revocation"), "the administrator's"
    assert not browser.find_elements(By.ID, "action-return"), "not for an elder in the district"

    open_action(browser, "move")
    assert text(browser, "h1") == "登记迁居"
    type_date(browser, browser.find_element(By.ID, "moved_on"), today)
    browser.find_element(By.ID, "kind").click()  # within the district
    Select(browser.find_element(By.ID, "to_community")).select_by_value("c02")
    browser.find_element(By.ID, "address").send_keys("稠州路9号3-201")
    sent(browser)
    assert "迁居已登记" in text(browser, ".notice-success")
    assert text(browser, "#elder-community") == community_name(workbench, "c02")
    assert text(browser, "#elder-address") == "稠州路9号3-201"
    entries = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#timeline li")]
    assert any("从 c01 迁至 c02" in e for e in entries), entries
    after_move = stored(workbench, elder["elder_id"])
    assert (after_move["community"], after_move["address"]) == ("c02", "稠州路9号3-201")

    open_action(browser, "death")
    coming = today + timedelta(days=3)
    type_date(browser, browser.find_element(By.ID, "died_on"), coming)
    browser.find_element(By.ID, "reported_by").send_keys("家属")
    sent(browser)
    assert browser.title.startswith("错误：")
    assert error_summary_links(browser) == {"died_on": "时间不能晚于现在。"}
    assert "时间不能晚于现在" in text(browser, "#died_on-group .field-error")
    assert browser.find_element(By.ID, "died_on").get_attribute("value") == coming.isoformat()
    assert browser.find_element(By.ID, "reported_by").get_attribute("value") == "家属"
    assert stored(workbench, elder["elder_id"])["status"] == "active"

    died_on = browser.find_element(By.ID, "died_on")
    died_on.clear()
    type_date(browser, died_on, today)
    sent(browser)
    assert "去世已登记" in text(browser, ".notice-success")
    assert text(browser, "#elder-status") == "已去世"
    assert today.isoformat() in text(browser, "#elder-status-detail")
    actions = browser.find_elements(By.CSS_SELECTOR, "#elder-actions a")
    offered = {a.get_attribute("id") for a in actions}
    assert offered == {"action-identity-correction"}, "no move, card or death once deceased"
    after_death = stored(workbench, elder["elder_id"])
    assert (after_death["status"], after_death["died_on"]) == ("deceased", today.isoformat())
    browser.get(f"{workbench['portal']}/elders/{elder['elder_id']}/death-revocation")
    assert text(browser, "h1") == "无权访问", "a district administrator's change"


def test_an_identity_correction_is_decided_by_another_administrator(browser, workbench):
    second = f"admin-{uuid.uuid4().hex[:6]}"
    created = requests.post(
        f"{workbench['intake']}/users",
        json={"username": second, "password": f"{second}-password", "roles": ["district_admin"]},
        headers=ADMIN,
        timeout=10,
    )
    assert created.status_code == 201, created.text
    elder = registered(workbench, "钱玉珍", date(1942, 6, 1))
    corrected = national_id(date(1942, 6, 11))
    sign_in(browser, workbench, "admin", f"/elders/{elder['elder_id']}")

    open_action(browser, "identity-correction")
    browser.find_element(By.ID, "national_id").send_keys(corrected)
    derived = wait(browser).until(
        ready.visibility_of_element_located((By.ID, "national_id-derived"))
    )
    assert "1942-06-11" in derived.text
    assert browser.find_element(By.ID, "birth_date").get_attribute("value") == "1942-06-11"
    browser.find_element(By.ID, "reason").send_keys("户籍底册核对，出生日期登记有误")
    sent(browser)
    assert "admin" in text(browser, "#pending-correction")
    assert stored(workbench, elder["elder_id"])["national_id"] == elder["national_id"]

    browser.find_element(By.ID, "action-identity-approval").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "correction")))
    assert "另一位区级管理员" in text(browser, "#decision-rule")
    assert "不能" in text(browser, "#own-correction")
    assert not browser.find_elements(By.ID, "approve"), "no approve button for the one who asked"
    assert not browser.find_elements(By.ID, "reject")
    decision = browser.current_url.split(workbench["portal"], 1)[1]
    sign_out(browser)

    passwords = {**workbench["passwords"], second: f"{second}-password"}
    sign_in(browser, {**workbench, "passwords": passwords}, second, decision)
    assert not browser.find_elements(By.ID, "own-correction")
    assert text(browser, "#proposed-by") == "admin"
    assert unlabelled_inputs(browser) == []
    pressed(browser, browser.find_element(By.ID, "approve"))
    assert "已批准" in text(browser, ".notice-success")
    assert text(browser, "#elder-national-id") == corrected
    assert text(browser, "#elder-birth-date") == "1942-06-11"
    assert not browser.find_elements(By.ID, "pending-correction")
    after = stored(workbench, elder["elder_id"])
    assert (after["national_id"], after["birth_date"]) == (corrected, "1942-06-11")
    assert after["identity_corrections"][0]["decided_by"] == second


def found(words: str) -> Callable[[WebDriver], bool]:
    return ready.text_to_be_present_in_element((By.ID, "results-title"), words)


def page_shown(words: str) -> Callable[[WebDriver], bool]:
    return ready.text_to_be_present_in_element((By.ID, "results-range"), words)


def test_the_register_is_searched_with_two_filters_kept_across_pages(browser, workbench):
    name = f"检索{uuid.uuid4().hex[:4]}"
    for n in range(23):
        born = date(1940, 1, 1) + timedelta(days=n)
        registered(workbench, name, born, "c03", circumstances={"low_income": n != 0})
    sign_in(browser, workbench, "clerk", "/elders")
    assert unlabelled_inputs(browser) == []
    browser.find_element(By.ID, "name").send_keys(name)
    wait(browser, 30).until(found("找到 23 位"))
    browser.find_element(By.ID, "low_income").send_keys(Keys.ARROW_DOWN)  # 不限 to 是
    wait(browser, 30).until(found("找到 22 位"))
    assert "low_income=true" in browser.current_url, "the live search's address is kept"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#results .card")) == 20

    browser.find_element(By.ID, "next-page").click()
    wait(browser, 30).until(page_shown("第 2 / 2 页"))
    assert "page=2" in browser.current_url and "low_income=true" in browser.current_url
    assert "after=" in browser.current_url, "the next page starts after the last one shown"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#results .card")) == 2
    assert text(browser, "#results-title") == "找到 22 位老年人"
    assert browser.find_element(By.ID, "name").get_attribute("value") == name
    assert (
        Select(browser.find_element(By.ID, "low_income")).first_selected_option.get_attribute(
            "value"
        )
        == "true"
    )
    assert not browser.find_elements(By.ID, "next-page")
    browser.find_element(By.ID, "previous-page").click()
    wait(browser, 30).until(page_shown("第 1 / 2 页"))
    assert "before=" in browser.current_url
    assert len(browser.find_elements(By.CSS_SELECTOR, "#results .card")) == 20
    assert not browser.find_elements(By.ID, "previous-page")


def test_the_search_works_without_javascript(workbench):
    name = f"无脚本{uuid.uuid4().hex[:4]}"
    elder = registered(workbench, name, date(1939, 2, 2), "c01", circumstances={"disabled": True})
    registered(workbench, name, date(1939, 3, 3), "c01")
    driver = chrome(javascript=False)
    try:
        sign_in(driver, workbench, "visitor", "/elders")
        driver.find_element(By.ID, "name").send_keys(name)
        Select(driver.find_element(By.ID, "disabled")).select_by_value("true")
        driver.find_element(By.ID, "search").click()
        wait(driver).until(found("找到 1 位"))
        link = driver.find_element(By.CSS_SELECTOR, "#results .card-link")
        assert elder["elder_id"] in link.get_attribute("href")
        assert "disabled=true" in driver.current_url
        link.click()
        wait(driver).until(ready.presence_of_element_located((By.ID, "elder-summary")))
        assert not driver.find_elements(By.ID, "elder-actions"), "a visitor changes no record"
        assert "残疾\n是" in text(driver, "#elder-circumstances")
    finally:
        driver.quit()


def test_the_card_details_a_move_out_a_return_and_a_revoked_death_each_have_their_page(
    browser, workbench
):
    elder = registered(workbench, "孔凤兰", date(1950, 5, 5))
    today = datetime.now(ZONE).date()
    sign_in(browser, workbench, "clerk", f"/elders/{elder['elder_id']}")
    assert text(browser, "#elder-card") == "未办老年证。"

    open_action(browser, "card")
    sent(browser)
    assert "老年证已办理" in text(browser, ".notice-success")
    first_card = text(browser, "#card-number")
    assert stored(workbench, elder["elder_id"])["card"]["number"] == first_card
    assert not browser.find_elements(By.ID, "action-card"), "one card at a time"

    open_action(browser, "card-reissue")
    assert browser.find_element(By.ID, "reason").get_attribute("value") == "遗失"
    sent(browser)
    assert text(browser, "#card-number") not in ("", first_card)

    assert text(browser, "#priority-card") == "未办理老年人优先服务卡。"
    open_action(browser, "priority-card")
    sent(browser)
    assert "老年人优先服务卡已办理" in text(browser, ".notice-success")
    priority_card = text(browser, "#priority-card-number")
    assert stored(workbench, elder["elder_id"])["priority_card"]["number"] == priority_card
    printed = browser.find_element(By.ID, "print-priority-card").get_attribute("href")
    assert printed.endswith(f"/elders/{elder['elder_id']}/priority-card.pdf")
    open_action(browser, "priority-card-reissue")
    assert browser.find_element(By.ID, "reason").get_attribute("value") == "遗失"
    sent(browser)
    assert text(browser, "#priority-card-number") not in ("", priority_card)
    open_action(browser, "priority-card-cancellation")
    sent(browser)
    assert error_summary_links(browser) == {"reason": "请填写注销原因。"}
    browser.find_element(By.ID, "reason").send_keys("本人交回")
    sent(browser)
    assert text(browser, "#priority-card") == "未办理老年人优先服务卡。"

    open_action(browser, "details")
    assert browser.find_element(By.ID, "name").get_attribute("value") == "孔凤兰"
    browser.find_element(By.ID, "disabled").click()
    browser.find_element(By.ID, "phone").send_keys("13812345678")
    sent(browser)
    assert "信息已修改" in text(browser, ".notice-success")
    assert "残疾\n是" in text(browser, "#elder-circumstances")
    changed = stored(workbench, elder["elder_id"])
    assert (changed["circumstances"]["disabled"], changed["phone"]) == (True, "13812345678")

    open_action(browser, "move")
    type_date(browser, browser.find_element(By.ID, "moved_on"), today)
    browser.find_element(By.ID, "kind-out").click()
    browser.find_element(By.ID, "destination").send_keys("杭州市")
    sent(browser)
    assert text(browser, "#elder-status") == "已迁出本区"
    assert stored(workbench, elder["elder_id"])["status"] == "moved_out"

    open_action(browser, "return")
    type_date(browser, browser.find_element(By.ID, "returned_on"), today)
    Select(browser.find_element(By.ID, "community")).select_by_value("c03")
    sent(browser)
    assert text(browser, "#elder-status") == "在册"
    back = stored(workbench, elder["elder_id"])
    assert (back["status"], back["community"], len(back["absences"])) == ("active", "c03", 1)

    open_action(browser, "death")
    type_date(browser, browser.find_element(By.ID, "died_on"), today)
    sent(browser)
    assert text(browser, "#elder-status") == "已去世"
    sign_out(browser)

    sign_in(browser, workbench, "admin", f"/elders/{elder['elder_id']}")
    open_action(browser, "death-revocation")
    sent(browser)
    assert error_summary_links(browser) == {"reason": "请填写误报去世的原因。"}
    browser.find_element(By.ID, "reason").send_keys("医院误报，本人健在")
    sent(browser)
    assert "去世登记已撤销" in text(browser, ".notice-success")
    assert text(browser, "#elder-status") == "在册"
    assert stored(workbench, elder["elder_id"])["status"] == "active"
