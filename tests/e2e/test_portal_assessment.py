"""An elder's assessment and possible duplicates in a real browser against the real services: a
clerk records an assessment, refused at first for a score the scale does not have, and resolves
the records intake holds as possibly the same person, the two side by side."""

import uuid
from datetime import date, datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from workbench import (
    ZONE,
    error_summary_links,
    needs_chromium,
    open_action,
    registered,
    sent,
    sign_in,
    stored,
    text,
    unlabelled_inputs,
    wait,
)

pytestmark = needs_chromium


def test_a_clerk_records_an_assessment_refused_at_first_for_a_score_beyond_the_scale(
    browser, workbench
):
    elder = registered(workbench, "陈桂花", date(1936, 9, 18))
    today = datetime.now(ZONE).date()
    sign_in(browser, workbench, "clerk", f"/elders/{elder['elder_id']}")
    assert text(browser, "#assessments") == "尚无能力评估。"

    open_action(browser, "assessment")
    assert text(browser, "h1") == "登记能力评估"
    assert browser.find_element(By.ID, "assessed_on").get_attribute("value") == today.isoformat()
    browser.find_element(By.ID, "scale").click()  # the Barthel index
    browser.find_element(By.ID, "score").send_keys("120")
    browser.find_element(By.ID, "assessor").send_keys("王医生")
    browser.find_element(By.ID, "chronic_illnesses").send_keys("高血压、糖尿病")
    sent(browser)
    assert error_summary_links(browser) == {"score": "Barthel 指数的分数为 0 到 100。"}
    assert "0 到 100" in text(browser, "#score-group .field-error")
    assert browser.find_element(By.ID, "score").get_attribute("value") == "120"
    assert browser.find_element(By.ID, "scale").is_selected()
    assert browser.find_element(By.ID, "assessor").get_attribute("value") == "王医生"
    assert (
        browser.find_element(By.ID, "chronic_illnesses").get_attribute("value") == "高血压、糖尿病"
    )
    assert stored(workbench, elder["elder_id"])["assessment"] is None
    assert unlabelled_inputs(browser) == []

    score = browser.find_element(By.ID, "score")
    score.clear()
    score.send_keys("45")
    sent(browser)
    assert "能力评估已登记" in text(browser, ".notice-success")
    row = text(browser, "#assessments tbody tr")
    assert today.isoformat() in row and "重度失能" in row and "45" in row and "王医生" in row
    assert "能力评估：重度失能" in text(browser, "#timeline")
    assert "患慢性病且生活自理能力差" in text(browser, "#key-target")
    assessment = stored(workbench, elder["elder_id"])["assessment"]
    assert (assessment["scale"], assessment["score"]) == ("barthel", 45)
    assert assessment["self_care_level"] == "severe"
    assert set(assessment["chronic_illnesses"]) == {"高血压", "糖尿病"}


def test_a_clerk_resolves_two_possible_duplicates_one_distinct_and_one_merged(browser, workbench):
    name, born = f"重复{uuid.uuid4().hex[:4]}", date(1941, 7, 7)
    first, second, third = (registered(workbench, name, born, "c02") for _ in range(3))
    assert set(third["possible_duplicates"]) == {first["elder_id"], second["elder_id"]}
    sign_in(browser, workbench, "clerk", f"/elders/{third['elder_id']}")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#duplicates > li")) == 2
    assert not browser.find_elements(By.ID, "action-duplicate"), "beside each duplicate only"

    browser.find_element(By.ID, f"resolve-{second['elder_id']}").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "compared")))
    assert unlabelled_inputs(browser) == []
    numbers = text(browser, "#compared-national-id")
    assert third["national_id"] in numbers and second["national_id"] in numbers
    assert text(browser, "#compared-birth-date").count(born.isoformat()) == 2
    sent(browser)
    assert error_summary_links(browser) == {"decision": "请选择是否为同一人。"}
    assert "是否为同一人" in text(browser, "#decision-group .field-error")
    assert second["national_id"] in text(browser, "#compared-national-id"), "still compared"

    browser.find_element(By.ID, "decision").click()  # not the same person
    sent(browser)
    assert "可能重复的记录已处理" in text(browser, ".notice-success")
    assert not browser.find_elements(By.ID, f"duplicate-{second['elder_id']}")
    assert browser.find_elements(By.ID, f"duplicate-{first['elder_id']}")
    assert stored(workbench, third["elder_id"])["possible_duplicates"] == [first["elder_id"]]
    assert "可能重复的记录经核实不是同一人" in text(browser, "#timeline")

    browser.find_element(By.ID, f"resolve-{first['elder_id']}").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "compared")))
    browser.find_element(By.ID, "decision-merge").click()
    sent(browser)
    assert text(browser, "#elder-status") == "已合并"
    assert not browser.find_elements(By.ID, "duplicates")
    assert "已合并到同一人的另一条记录" in text(browser, "#timeline")
    assert (
        browser.find_element(By.ID, "merged-into")
        .get_attribute("href")
        .endswith(f"/elders/{first['elder_id']}")
    )
    merged = stored(workbench, third["elder_id"])
    assert (merged["status"], merged["merged_into"]) == ("merged", first["elder_id"])
    assert merged["possible_duplicates"] == []
