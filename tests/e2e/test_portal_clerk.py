"""The intake clerk's pages of the workbench in a real browser, against the services as
`./dev up` runs them: a survey imported and its row report downloaded, the district's
statistics drawn from intake's own figures, and a hospital admission for an unregistered ID
number matched to the elder once registered, so that the visit it calls for is owed."""

import io
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

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
    HOSPITAL,
    chrome,
    error_summary_links,
    eventually,
    national_id,
    needs_chromium,
    obligation_of,
    pressed,
    registered_elder,
    sign_in,
    sign_out,
    text,
    unlabelled_inputs,
    wait,
    wrong_check,
)

from devstack.demo_records import hospital_admission
from services.intake.domain.age_bands import BAND_NAMES

pytestmark = needs_chromium
SURVEY_HEADER = "身份证号,姓名,性别,出生日期,社区,地址,户型,低保"
IMPORT_SECONDS = 120


def sex_of(number: str) -> str:
    return "男" if int(number[16]) % 2 else "女"


def survey_file(directory: Path) -> Path:
    """Three good rows, then a wrong check character (row 5) and a person of 36 (row 6)."""
    born = [date(1941, 3, 9), date(1937, 12, 1), date(1950, 6, 30)]
    numbers = [national_id(day) for day in born]
    young = national_id(date(1990, 1, 1))
    sex = [sex_of(n) for n in numbers]
    rows = [
        f"{numbers[0]},钱秀英,{sex[0]},{born[0]},c01,和平路5号,独居,否",
        f"{numbers[1]},孙建国,{sex[1]},{born[1]},c02,建设路12号,空巢,是",
        f"{numbers[2]},李桂芝,{sex[2]},{born[2]},c01,和平路7号,与家人同住,否",
        f"{wrong_check(national_id(date(1944, 2, 2)))},错号,女,1944-02-02,c01,一号,,否",
        f"{young},年轻人,{sex_of(young)},1990-01-01,c01,二号,,否",
    ]
    path = directory / f"survey-{uuid.uuid4().hex[:6]}.csv"
    path.write_text("\n".join([SURVEY_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def session_cookie(driver: WebDriver) -> dict[str, str]:
    cookie = driver.get_cookie("eldercare_portal")
    assert cookie, "signed in, the browser holds the session cookie"
    return {"eldercare_portal": cookie["value"]}


def counts(driver: WebDriver) -> dict[str, str]:
    keys = ("rows", "imported", "unchanged", "rejected")
    return {key: text(driver, f"#count-{key}") for key in keys}


def test_a_clerk_imports_a_survey_and_downloads_the_rows_rejected(browser, workbench, tmp_path):
    survey = survey_file(tmp_path)
    sign_in(browser, workbench, "clerk")
    browser.find_element(By.LINK_TEXT, "导入摸底调查").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "import-form")))
    assert text(browser, "h1") == "导入摸底调查"
    assert unlabelled_inputs(browser) == []
    indicator = browser.find_element(By.ID, "importing")
    assert indicator.get_attribute("textContent").strip() == "正在导入…"
    assert not indicator.is_displayed(), "shown only while the import runs"

    # Sent without a file: said beside the field.
    browser.find_element(By.ID, "import").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert "请选择摸底调查文件" in error_summary_links(browser)["file"]
    assert "请选择摸底调查文件" in text(browser, "#file-group .field-error")

    browser.find_element(By.ID, "file").send_keys(str(survey))
    browser.find_element(By.ID, "import").click()
    wait(browser, IMPORT_SECONDS).until(ready.presence_of_element_located((By.ID, "import-report")))
    assert counts(browser) == {"rows": "5", "imported": "3", "unchanged": "0", "rejected": "2"}
    reasons = {
        row.get_attribute("data-row"): row.find_elements(By.TAG_NAME, "td")[1].text
        for row in browser.find_elements(By.CSS_SELECTOR, "#rejected-rows tbody tr")
    }
    assert set(reasons) == {"5", "6"}
    assert "校验码" in reasons["5"]
    assert reasons["6"] == "年满 60 周岁方可登记；此人 36 岁。"
    assert not browser.find_elements(By.CSS_SELECTOR, ".error-summary")
    assert not browser.find_element(By.ID, "importing").is_displayed()
    registered = requests.get(
        f"{workbench['intake']}/elders", params={"name": "孙建国"}, headers=CLERK, timeout=10
    ).json()
    assert registered["total"] >= 1

    # The report as a workbook, as the download button sends for it.
    form = browser.find_element(By.ID, "report-download")
    fields = {
        field.get_attribute("name"): field.get_attribute("value")
        for field in form.find_elements(By.CSS_SELECTOR, "input[type=hidden]")
    }
    answer = requests.post(
        form.get_attribute("action"), data=fields, cookies=session_cookie(browser), timeout=30
    )
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(answer.content))
    rejected = list(book["拒收的行"].values)
    assert rejected[0] == ("行号", "原因", *SURVEY_HEADER.split(","))
    assert {row[0]: row[1] for row in rejected[1:]} == {5: reasons["5"], 6: reasons["6"]}
    assert [row[3] for row in rejected[1:]] == ["错号", "年轻人"], "each row's own cells"
    assert dict(book["汇总"].values)["拒收"] == 2
    tampered = requests.post(
        form.get_attribute("action"),
        data={**fields, "report": fields["report"][:-3] + "abc"},
        cookies=session_cookie(browser),
        timeout=30,
    )
    assert tampered.status_code == 400


def test_the_same_survey_imports_again_without_javascript_and_changes_nothing(workbench, tmp_path):
    survey = survey_file(tmp_path)
    driver = chrome(javascript=False)
    try:
        sign_in(driver, workbench, "clerk", "/surveys/import")
        for expected in ("3", "0"):
            driver.find_element(By.ID, "file").send_keys(str(survey))
            button = driver.find_element(By.ID, "import")
            button.click()
            # the page sent must be gone first: the second time, it shows the first report
            wait(driver, IMPORT_SECONDS).until(ready.staleness_of(button))
            wait(driver, IMPORT_SECONDS).until(
                ready.presence_of_element_located((By.ID, "import-report"))
            )
            assert text(driver, "#count-imported") == expected
        assert text(driver, "#count-unchanged") == "3"
        assert text(driver, "#count-rejected") == "2"
    finally:
        driver.quit()


def test_the_statistics_page_shows_intakes_own_figures(browser, workbench):
    sign_in(browser, workbench, "clerk")
    browser.find_element(By.LINK_TEXT, "统计").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "age-bands-table")))
    figures = requests.get(f"{workbench['intake']}/statistics", headers=CLERK, timeout=10).json()
    c01 = next(t for t in figures["communities"] if t["community"] == "c01")
    assert c01["elders"] > 0

    def row(table: str, community: str) -> dict[str, int]:
        cells = browser.find_elements(
            By.CSS_SELECTOR, f"#{table}-table tr[data-community='{community}'] td"
        )
        return {c.get_attribute("data-column"): int(c.text) for c in cells}

    headings = browser.find_elements(By.CSS_SELECTOR, "#age-bands-table thead th")
    assert [h.text for h in headings] == ["社区", *(f"{b} 周岁" for b in BAND_NAMES), "老年人数"]
    assert row("age-bands", "c01") == {**c01["age_bands"], "elders": c01["elders"]}
    assert row("household-types", "c01") == {**c01["household_types"], "elders": c01["elders"]}
    key_targets = row("key-targets", "c01")
    assert key_targets["key_targets"] == c01["key_targets"]
    assert all(key_targets[reason] == n for reason, n in c01["key_target_reasons"].items())
    district = row("age-bands", "district")
    assert district["elders"] == figures["district"]["elders"]
    # The bars are as long as the figures: c01's age bands, side by side, add up.
    bar = browser.find_element(By.CSS_SELECTOR, "#age-bands-chart [data-community='c01']")
    assert text(browser, "#age-bands-chart [data-community='c01'] .bar-total") == str(c01["elders"])
    assert len(bar.find_elements(By.TAG_NAME, "rect")) == sum(
        1 for n in c01["age_bands"].values() if n
    )
    assert unlabelled_inputs(browser) == []

    link = browser.find_element(By.ID, "statistics-download")
    workbook = requests.get(link.get_attribute("href"), cookies=session_cookie(browser), timeout=30)
    assert workbook.status_code == 200
    sheet = list(load_workbook(io.BytesIO(workbook.content))["Age bands"].values)
    assert sheet[-1] == (
        "district total",
        district["elders"],
        *(figures["district"]["age_bands"][band] for band in BAND_NAMES),
    )
    # the year's work summary: each service's figures, printed through the workbench
    for part, heading in (("year-register", "老年人登记与志愿者"), ("year-visits", "走访与服务")):
        href = browser.find_element(By.ID, part).get_attribute("href")
        printed = requests.get(href, cookies=session_cookie(browser), timeout=60)
        assert printed.status_code == 200 and printed.content[:5] == b"%PDF-", printed.text[:200]
        assert heading in pdf_text(printed.content)
    # and all of it bound: one form to print, one workbook with a sheet for each part
    whole = browser.find_element(By.ID, "year-whole").get_attribute("href")
    printed = requests.get(whole, cookies=session_cookie(browser), timeout=90)
    assert printed.status_code == 200, printed.text[:200]
    bound = pdf_text(printed.content)
    parts = ("老年人登记与志愿者", "走访与服务", "高龄津贴与九十岁以上老人")
    assert [bound.index(part) for part in parts] == sorted(bound.index(part) for part in parts)
    book = browser.find_element(By.ID, "year-whole-xlsx").get_attribute("href")
    answer = requests.get(book, cookies=session_cookie(browser), timeout=90)
    titles = [s.title for s in load_workbook(io.BytesIO(answer.content)).worksheets]
    assert [t.split("：")[-1] for t in titles] == list(parts)


def parked_receipt(workbench: dict, reference: str) -> dict | None:
    found = requests.get(
        f"{workbench['intake']}/inbound/receipts",
        params={"status": "parked", "page_size": 100},
        headers=CLERK,
        timeout=10,
    ).json()
    return next((r for r in found["items"] if r.get("reference") == reference), None)


def test_an_admission_of_an_unregistered_elder_is_matched_once_they_are_registered(
    browser, workbench
):
    born = date(1938, 4, 12)
    number = national_id(born)
    occurred = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    admission = hospital_admission(number, occurred)
    reference = admission["data"]["reference"]
    sent = requests.post(
        f"{workbench['intake']}/inbound", json=admission, headers=HOSPITAL, timeout=10
    )
    assert sent.status_code == 202, sent.text
    assert eventually(lambda: parked_receipt(workbench, reference)), "intake parks it"

    sign_in(browser, workbench, "clerk")
    browser.find_element(By.LINK_TEXT, "待匹配事件").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "parked")))
    row = browser.find_element(By.XPATH, f"//tr[td[@class='reference' and text()='{reference}']]")
    assert "生病住院" in row.text and "urn:hospital:yiwu-central" in row.text
    assert (
        row.find_element(By.CLASS_NAME, "national-id").text == f"{number[:6]}********{number[-4:]}"
    )
    row.find_element(By.TAG_NAME, "a").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "match-form")))
    assert unlabelled_inputs(browser) == []
    event_page = browser.current_url

    # No elder holds the number yet: matching by it is refused, said beside the choice.
    assert browser.find_element(By.ID, "elder_id").is_selected()
    browser.find_element(By.ID, "match").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert "请先登记该老年人" in error_summary_links(browser)["elder_id"]
    assert "请先登记该老年人" in text(browser, "#elder_id-group .field-error")

    browser.find_element(By.ID, "register-elder").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "register-form")))
    browser.find_element(By.ID, "national_id").send_keys(number)
    wait(browser).until(ready.visibility_of_element_located((By.ID, "national_id-derived")))
    browser.find_element(By.ID, "name").send_keys("郑玉珍")
    Select(browser.find_element(By.ID, "community")).select_by_value("c01")
    browser.find_element(By.ID, "address").send_keys("人民路66号")
    browser.find_element(By.ID, "register").click()
    wait(browser).until(ready.presence_of_element_located((By.ID, "elder-summary")))
    elder_id = browser.current_url.rsplit("/", 1)[1]

    # Found by name, chosen, matched.
    browser.get(event_page)
    wait(browser).until(ready.presence_of_element_located((By.ID, "elder-search")))
    browser.find_element(By.ID, "name").send_keys("郑玉珍")
    browser.find_element(By.ID, "search").click()
    choice = wait(browser).until(ready.element_to_be_clickable((By.ID, f"elder_id-{elder_id}")))
    label = browser.find_element(By.CSS_SELECTOR, f"label[for='elder_id-{elder_id}']").text
    assert "郑玉珍" in label
    assert unlabelled_inputs(browser) == []
    choice.click()
    pressed(browser, browser.find_element(By.ID, "match"))
    assert "郑玉珍" in text(browser, ".notice-success")
    assert reference not in browser.find_element(By.ID, "main").text
    assert parked_receipt(workbench, reference) is None

    owed = eventually(lambda: obligation_of(workbench, elder_id))
    assert owed and owed["trigger"] == "hospitalised" and owed["status"] == "open", owed


def test_an_event_is_set_aside_only_with_a_reason(browser, workbench):
    admission = hospital_admission(national_id(date(1942, 9, 9)), datetime.now(UTC))
    reference = admission["data"]["reference"]
    sent = requests.post(
        f"{workbench['intake']}/inbound", json=admission, headers=HOSPITAL, timeout=10
    )
    assert sent.status_code == 202, sent.text
    receipt = eventually(lambda: parked_receipt(workbench, reference))
    assert receipt
    sign_in(browser, workbench, "clerk", f"/inbound-events/{receipt['key']}")
    assert text(browser, "#event-reference") == reference
    browser.find_element(By.ID, "discard").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert error_summary_links(browser) == {"reason": "请填写搁置原因。"}
    browser.find_element(By.ID, "reason").send_keys("非本区居民")
    pressed(browser, browser.find_element(By.ID, "discard"))
    assert text(browser, ".notice-success") == "该事件已搁置。"
    closed = requests.get(
        f"{workbench['intake']}/inbound/receipts/{receipt['key']}", headers=CLERK, timeout=10
    ).json()
    assert (closed["status"], closed["outcome"]) == ("discarded", "discarded: 非本区居民")


def choose_by_name(browser: WebDriver, name: str, elder_id: str) -> None:
    browser.find_element(By.ID, "name").send_keys(name)
    browser.find_element(By.ID, "search").click()
    wait(browser).until(ready.element_to_be_clickable((By.ID, f"elder_id-{elder_id}"))).click()


def test_an_event_is_applied_to_an_elder_with_another_id_number_only_by_an_override(
    browser, workbench
):
    number = national_id(date(1936, 2, 2))
    admission = hospital_admission(number, datetime.now(UTC).replace(microsecond=0))
    reference = admission["data"]["reference"]
    sent = requests.post(
        f"{workbench['intake']}/inbound", json=admission, headers=HOSPITAL, timeout=10
    )
    assert sent.status_code == 202, sent.text
    receipt = eventually(lambda: parked_receipt(workbench, reference))
    assert receipt
    other = national_id(date(1936, 2, 3))  # another person's number
    elder_id = registered_elder(workbench, "韦素芬", other)
    event_page = f"/inbound-events/{receipt['key']}"

    # The clerk is told beside the choice that the numbers differ, and offered no override.
    sign_in(browser, workbench, "clerk", event_page)
    assert browser.find_elements(By.ID, "override") == []
    choose_by_name(browser, "韦素芬", elder_id)
    browser.find_element(By.ID, "match").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    beside = text(browser, "#elder_id-group .field-error")
    assert "不一致" in beside and "区级管理员" in beside
    assert f"{other[:6]}********{other[-4:]}" in beside
    assert parked_receipt(workbench, reference), "still waiting"
    sign_out(browser)

    # The administrator applies it all the same, only with the reason.
    sign_in(browser, workbench, "admin", event_page)
    choose_by_name(browser, "韦素芬", elder_id)
    assert unlabelled_inputs(browser) == []
    browser.find_element(By.ID, "match").click()
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert "原因" in text(browser, "#override-group .field-error")
    reason = "医院登记时身份证号录错一位，已核对住院登记表"
    browser.find_element(By.ID, "override").send_keys(reason)
    pressed(browser, browser.find_element(By.ID, "match"))
    assert "韦素芬" in text(browser, ".notice-success")
    closed = requests.get(
        f"{workbench['intake']}/inbound/receipts/{receipt['key']}", headers=ADMIN, timeout=10
    ).json()
    assert (closed["status"], closed["elder_id"], closed["override"]) == (
        "matched",
        elder_id,
        reason,
    )
