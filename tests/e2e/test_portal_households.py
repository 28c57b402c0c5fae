"""Browser tests of households (户) on the workbench: a couple's household from the elder's
page, its type set by hand (with the error shown as GOV.UK shows it) and given back to the
rules, a resident recorded and removed, an elder given a household of their own; and the
facts the field uses, recorded on the elder's details."""

import uuid
from datetime import date

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select
from workbench import (
    ADMIN,
    error_summary_links,
    needs_chromium,
    open_action,
    registered,
    sent,
    sign_in,
    stored,
    text,
    type_date,
    unlabelled_inputs,
    wait,
)

pytestmark = needs_chromium


def submitted(browser, button_id: str) -> None:
    button = browser.find_element(By.ID, button_id)
    button.click()
    wait(browser, 30).until(ready.staleness_of(button))
    wait(browser).until(ready.presence_of_element_located((By.ID, "household-summary")))


def test_a_clerk_sees_and_corrects_a_couples_household(browser, workbench):
    home = f"和平里{uuid.uuid4().hex[:6]}号"
    husband = registered(workbench, "周建国", date(1950, 3, 4), address=home)
    wife = registered(workbench, "吴秀英", date(1952, 7, 8), address=home)
    sign_in(browser, workbench, "clerk", f"/elders/{wife['elder_id']}")
    wait(browser).until(ready.presence_of_element_located((By.ID, "elder-household")))
    assert text(browser, "#elder-household-type") == "空巢"
    assert "周建国" in text(browser, "#elder-household")

    browser.find_element(By.ID, "household-link").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "household-summary")))
    assert unlabelled_inputs(browser) == []
    assert text(browser, "#household-type") == "空巢"
    assert text(browser, "#household-source") == "按成员推算"
    listed = browser.find_elements(By.CSS_SELECTOR, "#household-elders li")
    assert {e.get_attribute("data-elder") for e in listed} == {
        husband["elder_id"],
        wife["elder_id"],
    }

    # No reason: the error stands beside the field and in the summary at the top.
    Select(browser.find_element(By.ID, "household_type")).select_by_value("with_family")
    browser.find_element(By.ID, "set-type").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert list(error_summary_links(browser)) == ["reason"]
    assert Select(browser.find_element(By.ID, "household_type")).first_selected_option.text == (
        "与家人同住"
    )
    browser.find_element(By.ID, "reason").send_keys("女儿白天来照料，晚上同住")
    submitted(browser, "set-type")
    assert text(browser, "#household-type") == "与家人同住"
    assert text(browser, "#household-source") == "人工设定"
    assert "女儿白天来照料" in text(browser, "#household-reason")

    submitted(browser, "by-rules")
    assert text(browser, "#household-type") == "空巢"

    # Home care is the household's: enrolled from a day typed, both elders have it.
    assert text(browser, "#household-home-care") == "未纳入"
    type_date(browser, browser.find_element(By.ID, "since"), date(2026, 11, 1))
    submitted(browser, "enrol-home-care")
    assert text(browser, "#household-home-care") == "居家养老户，自2026-11-01起"
    for elder in (husband, wife):
        assert stored(workbench, elder["elder_id"])["circumstances"]["home_care"] is True
    # It cannot end before it began: the error stands beside the field.
    type_date(browser, browser.find_element(By.ID, "on"), date(2026, 10, 1))
    browser.find_element(By.ID, "end-home-care").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert "居家养老服务自2026-11-01开始" in text(browser, ".error-summary")
    browser.find_element(By.ID, "on").clear()
    submitted(browser, "end-home-care")  # empty: today
    assert text(browser, "#household-home-care") == "未纳入"
    assert stored(workbench, wife["elder_id"])["circumstances"]["home_care"] is False

    # A grandchild lives in: no longer empty-nest, by the rules.
    browser.find_element(By.ID, "name").send_keys("周小明")
    Select(browser.find_element(By.ID, "relation")).select_by_value("grandchild")
    browser.find_element(By.ID, "birth_year").send_keys("2008")
    submitted(browser, "add-resident")
    assert text(browser, "#household-type") == "与家人同住"
    assert text(browser, "#household-persons") == "3"
    assert "周小明" in text(browser, "#household-residents")

    # The husband lives elsewhere: a household of his own; the wife's is worked out again.
    submitted(browser, f"own-{husband['elder_id']}")
    assert text(browser, "#household-type") == "未填"  # a lone elder of whom nothing is known
    browser.get(f"{workbench['portal']}/elders/{wife['elder_id']}")
    wait(browser).until(ready.presence_of_element_located((By.ID, "elder-household")))
    assert text(browser, "#elder-household-type") == "与家人同住"  # with her grandchild


def test_a_clerk_records_the_facts_the_field_uses(browser, workbench):
    elder = registered(
        workbench, "郑桂兰", date(1941, 2, 3), address=f"幸福里{uuid.uuid4().hex[:6]}号"
    )
    sign_in(browser, workbench, "clerk", f"/elders/{elder['elder_id']}")
    wait(browser).until(ready.presence_of_element_located((By.ID, "elder-summary")))
    open_action(browser, "details")
    for field, value in (
        ("marital_status", "widowed"),
        ("has_children", "no"),
        ("party_member", "yes"),
        ("settlement", "village"),
    ):
        Select(browser.find_element(By.ID, field)).select_by_value(value)
    sent(browser)
    assert text(browser, "#fact-marital_status") == "丧偶"
    assert text(browser, "#fact-has_children") == "无"
    assert text(browser, "#fact-party_member") == "是"
    assert text(browser, "#fact-settlement") == "村"
    assert stored(workbench, elder["elder_id"])["circumstances"]["party_member"] is True


def test_a_head_keeps_the_grid_and_places_a_household_in_a_building(browser, workbench):
    tag = uuid.uuid4().hex[:6]
    elder = registered(workbench, "钱淑珍", date(1946, 4, 5), address=f"光明里{tag}号")
    sign_in(browser, workbench, "head", "/grid?community=c01")
    wait(browser).until(ready.presence_of_element_located((By.ID, "cell-form")))
    assert unlabelled_inputs(browser) == []

    # A group, then a building of it; a wrong phone is said beside its field.
    browser.find_element(By.ID, "kind").click()  # the first choice: a resident group
    browser.find_element(By.ID, "name").send_keys(f"第{tag}居民小组")
    submitted_grid(browser, "open-cell")
    group = browser.find_element(By.XPATH, f"//tr[.//a[text()='第{tag}居民小组']]")
    group_id = group.get_attribute("data-cell")
    browser.find_element(By.ID, "kind-building").click()
    browser.find_element(By.ID, "name").send_keys(f"{tag}号楼")
    browser.find_element(By.ID, "address").send_keys(f"光明里{tag}号")
    Select(browser.find_element(By.ID, "group_id")).select_by_value(group_id)
    browser.find_element(By.ID, "leader_name").send_keys("孙师傅")
    browser.find_element(By.ID, "leader_phone").send_keys("123")
    browser.find_element(By.ID, "open-cell").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert list(error_summary_links(browser)) == ["leader_phone"]
    browser.find_element(By.ID, "leader_phone").clear()
    browser.find_element(By.ID, "leader_phone").send_keys("13900139000")
    submitted_grid(browser, "open-cell")
    building = browser.find_element(By.XPATH, f"//tr[.//a[text()='{tag}号楼']]")
    building_id = building.get_attribute("data-cell")
    assert "孙师傅" in building.text

    # On the household's page: placed in the building; the grid counts it there.
    home = requests.get(
        f"{workbench['intake']}/elders/{elder['elder_id']}/household", headers=ADMIN, timeout=10
    ).json()
    browser.get(f"{workbench['portal']}/households/{home['household_id']}")
    wait(browser).until(ready.presence_of_element_located((By.ID, "place-form")))
    Select(browser.find_element(By.ID, "cell_id")).select_by_value(building_id)
    submitted(browser, "place-household")
    assert f"{tag}号楼" in text(browser, "#household-cell")

    # A neighbour registered later is placed with every other household at the address.
    registered(workbench, "冯玉兰", date(1949, 9, 9), address=f"光明里{tag}号2单元101室")
    browser.get(f"{workbench['portal']}/grid/{building_id}")
    wait(browser).until(ready.presence_of_element_located((By.ID, "place-at-address")))
    button = browser.find_element(By.ID, "place-at-address")
    button.click()
    wait(browser, 30).until(ready.staleness_of(button))
    wait(browser).until(ready.presence_of_element_located((By.ID, "cell-households")))
    assert text(browser, ".notice-success") == f"已将光明里{tag}号的1户归入此处。"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#cell-households li[data-household]")) == 2

    browser.get(f"{workbench['portal']}/grid?community=c01")
    row = f"tr[data-cell='{building_id}'] td[data-column='households']"
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, row)))
    assert text(browser, row) == "2"
    assert text(browser, f"tr[data-cell='{group_id}'] td[data-column='elders']") == "2"
    assert text(browser, f"tr[data-cell='{building_id}'] td[data-column='open']") == "0"


def submitted_grid(browser, button_id: str) -> None:
    button = browser.find_element(By.ID, button_id)
    button.click()
    wait(browser, 30).until(ready.staleness_of(button))
    wait(browser).until(ready.presence_of_element_located((By.ID, "grid")))
