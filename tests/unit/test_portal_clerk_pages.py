"""The intake clerk's pages, in the parts that need no running service: the bars of the
statistics, the import report's workbook and its signature, a survey row's reasons in Chinese,
and a survey file too large for the workbench."""

import io
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from portal.app import create_app
from portal.charts import stacked_bars
from portal.config import PortalSettings
from portal.elders import LABELS
from portal.import_report import rejected_cells, report_workbook, sealed, unsealed
from portal.imports import MAX_SURVEY_BYTES
from portal.messages import row_reason

PORTAL = Path(__file__).resolve().parents[2] / "portal"


def test_the_longest_bar_is_full_width_and_segments_follow_each_other():
    bars = stacked_bars(
        [
            ("c01", "一社区", {"60-69": 30, "70-79": 10, "80-89": 0}),
            ("c02", "二社区", {"60-69": 5, "70-79": 15, "80-89": 0}),
        ],
        ["60-69", "70-79", "80-89"],
    )
    first, second = bars
    assert (first.total, second.total) == (40, 20)
    assert [(s.category, s.x, s.width) for s in first.segments] == [
        ("60-69", 0.0, 75.0),
        ("70-79", 75.0, 25.0),
    ]
    assert [(s.x, s.width) for s in second.segments] == [(0.0, 12.5), (12.5, 37.5)]
    assert all(s.value for bar in bars for s in bar.segments), "a category of none is no segment"


def test_bars_of_nothing_have_no_length():
    bars = stacked_bars([("c01", "一", {"key_targets": 0})], ["key_targets"])
    assert bars[0].total == 0 and bars[0].segments == ()
    assert stacked_bars([], ["key_targets"]) == []


def test_the_import_report_workbook_holds_the_counts_and_every_rejected_row():
    survey = [
        (2, {"身份证号": "330782194103090011", "姓名": "钱秀英"}),
        (4, {"身份证号": "33078219440202002X", "姓名": "错号"}),
        (6, {"身份证号": "330782199001010021", "姓名": "年轻人"}),
    ]
    columns, cells = rejected_cells(survey, [4, 6])
    assert columns == ["身份证号", "姓名"]
    assert cells == {"4": ["33078219440202002X", "错号"], "6": ["330782199001010021", "年轻人"]}
    content = report_workbook(
        [("读取行数", 5), ("拒收", 2)],
        [(4, "同一身份证号已在第 3 行出现。", cells["4"]), (6, "请填写地址。", cells["6"])],
        headings=("行号", "原因", columns),
        titles=("汇总", "拒收的行"),
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["汇总", "拒收的行"]
    assert list(book["汇总"].values) == [("读取行数", 5), ("拒收", 2)]
    assert list(book["拒收的行"].values) == [
        ("行号", "原因", "身份证号", "姓名"),
        (4, "同一身份证号已在第 3 行出现。", "33078219440202002X", "错号"),
        (6, "请填写地址。", "330782199001010021", "年轻人"),
    ]
    assert book["拒收的行"]["C3"].data_type == "s", "an ID number stays text"


def test_the_report_comes_back_only_as_the_workbench_signed_it():
    report = {"rows": 2, "rejected": [{"row": 3, "reason": "x" * 500}] * 50}
    token = sealed(report, "k" * 32)
    assert unsealed(token, "k" * 32) == report
    assert len(token) < 2000, "a long report is compressed"
    assert unsealed(token, "another key " * 3) is None
    assert unsealed(token[:-2] + "xx", "k" * 32) is None
    assert unsealed("", "k" * 32) is None


@pytest.mark.parametrize(
    ("reason", "said"),
    [
        ("the same ID number is on row 3", "同一身份证号已在第 3 行出现。"),
        (
            "national_id: check character is '2', expected '1'",
            "校验码是 2，应为 1：请核对身份证号。",
        ),
        ("elders are registered from age 60; this person is 36", None),
        ("address: Missing data for required field.", "请填写住址。"),
        ("low_income: 'maybe' is not yes/no (是/否)", "请填写“是”或“否”，不能填写 maybe。"),
        (
            "national_id: the ID number is stored as a number (1.10105E+17), not as text; a "
            "number keeps only 15 digits, so the last ones are lost. Format the ID number "
            "column as text (设置单元格格式为文本), enter the numbers again and import the "
            "file once more",
            None,
        ),
        (
            "name: Missing data for required field.; address: Missing data for required field.",
            "请填写姓名。 请填写住址。",
        ),
    ],
)
def test_a_rejected_rows_reason_is_said_in_chinese(chinese, reason, said):
    translated = row_reason(reason, LABELS)
    if said:
        assert translated == said
    assert translated != reason
    assert any("\u4e00" <= c <= "\u9fff" for c in translated.replace("是/否", ""))


def test_a_survey_too_large_is_refused_beside_the_file_field():
    app = create_app(PortalSettings(secret_key="k" * 32, apis={"intake": "http://127.0.0.1:9"}))
    client = app.test_client()
    with client.session_transaction() as session:
        session.update(
            token="t", user="clerk", roles=["intake_clerk"], expires_at=time.time() + 600
        )
    big = {"file": (io.BytesIO(b"x" * (MAX_SURVEY_BYTES + 1)), "survey.csv")}
    answer = client.post("/surveys/import", data=big, content_type="multipart/form-data")
    assert answer.status_code == 413
    page = answer.get_data(as_text=True)
    assert 'id="file-error"' in page and "32 MB" in page and "error-summary" in page
    # Elsewhere the workbench's small limit stands.
    elsewhere = client.post("/elders/new", data={"name": "x" * (65 * 1024)})
    assert elsewhere.status_code == 413


def test_each_message_is_in_the_catalogue_once():
    catalogue = PORTAL / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
    ids = re.findall(r'^msgid "(.+)"$', catalogue.read_text(encoding="utf-8"), re.MULTILINE)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
