"""The office's reports as the files it files: XLSX workbooks, with the headings of the forms
in Chinese and every amount a number (yuan, two decimals, exact from fen), and printable PDFs
(`shared.printing`, from the templates in `services/allowances/templates`).
"""

import io

from openpyxl import Workbook

from services.allowances.adapters.payment_files import yuan
from services.allowances.domain.home_care_report import HomeCareFigures, HomeCareVoucherReport
from services.allowances.domain.monthly_report import (
    CommunityFigures,
    HighAgeMonthlyReport,
)
from services.allowances.domain.year_summary import AllowancesYear
from shared.cells import safe_row
from shared.printing import printed
from shared.report_files import Table, append_row, community_line, row_name, shown
from shared.service_contacts import ServiceContacts
from shared.vocabulary import HIGH_AGE_BANDS, STOP_CAUSES

TITLE = "高龄津贴月报表"


def headings(report: HighAgeMonthlyReport) -> list[str]:
    bands = [
        f"{HIGH_AGE_BANDS.get(b.band, b.band)}{part}"
        for b in report.district.bands
        for part in ("人数", "金额（元）")
    ]
    return [
        "社区",
        "新增人数",
        *bands,
        "发放人数",
        "停发人数",
        "应发金额（元）",
        "付款文件实发（元）",
        "暂缓发放（元）",
        "待追回（元）",
    ]


def figures(row: CommunityFigures) -> list[object]:
    bands: list[object] = []
    for band in row.bands:
        bands += [band.payees, yuan(band.amount_fen)]
    return [
        row_name(row.community),
        "—" if row.newly_eligible is None else row.newly_eligible,
        *bands,
        row.payees,
        row.stopped,
        yuan(row.owed_fen),
        yuan(row.in_file_fen),
        yuan(row.withheld_fen),
        yuan(row.to_recover_fen),
    ]


def cause(code: str) -> str:
    return STOP_CAUSES.get(code, code)


def high_age_report_xlsx(report: HighAgeMonthlyReport, contacts: ServiceContacts) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(TITLE)
    for line in (*_preamble(report), *contacts.footer_rows()):
        sheet.append(safe_row(line))
    sheet.append([])
    sheet.append(headings(report))
    for row in (*report.communities, report.district):
        append_row(sheet, figures(row))
    stops = book.create_sheet("停发原因")
    stops.append(["社区", "停发原因", "人数"])
    for row in (*report.communities, report.district):
        for code, count in row.stops:
            stops.append(safe_row([row_name(row.community), cause(code), count]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _preamble(report: HighAgeMonthlyReport) -> list[list[object]]:
    year, month = report.month.split("-")
    submitted = report.submitted_on.isoformat() if report.submitted_on else "未报送"
    return [
        [f"{TITLE}（{year}年{int(month)}月）"],
        ["报送截止日期", report.due_on.isoformat()],
        ["报送日期", submitted],
        ["是否逾期", "逾期" if report.late else "否"],
        ["付款文件", "已导出" if report.order_fixed else "未导出（按当前收款账户预览）"],
        ["新增人数", "无上月名册可比" if report.district.newly_eligible is None else ""],
    ]


def high_age_report_pdf(report: HighAgeMonthlyReport, contacts: ServiceContacts) -> bytes:
    year, month = report.month.split("-")
    return printed(
        "services.allowances",
        "reports/high_age_monthly.html",
        contacts,
        report=report,
        year=year,
        month=int(month),
        headings=headings(report),
        rows=[shown(figures(row)) for row in (*report.communities, report.district)],
        stops=[
            (row_name(row.community), cause(code), count)
            for row in (*report.communities, report.district)
            for code, count in row.stops
        ],
    )


def home_care_table(report: HomeCareVoucherReport) -> Table:
    """Allowances' part of the monthly home-care report as one table."""
    year, month = report.month.split("-")

    def row(figures: HomeCareFigures) -> list[object]:
        def known(value: int | None) -> object:
            return "—" if value is None else value

        return [
            row_name(figures.community),
            known(figures.households_start),
            figures.households_end,
            known(figures.households_new),
            known(figures.households_ended),
            known(figures.enrolled_start),
            figures.enrolled_end,
            known(figures.joined),
            known(figures.left),
            figures.issued.count,
            yuan(figures.issued.amount_fen),
            figures.redeemed.count,
            yuan(figures.redeemed.amount_fen),
            figures.expired.count,
            yuan(figures.expired.amount_fen),
        ]

    notes = [
        "户数按居家养老户计，人数按户内在册老年人计，服务券按人发放；"
        "过期为有效期于本月届满而未使用的服务券。"
    ]
    if not report.vouchers_issued:
        notes.append("本月服务券批次尚未审批，发放数计为0。")
    if report.district.enrolled_start is None:
        notes.append("无上月服务券名册可比，未计月初户数与人数、新增与退出。")
    return Table(
        f"居家养老月报表（{year}年{int(month)}月）：居家养老对象与服务券",
        [
            ("服务券批次", report.cycle_id),
            ("报送截止日期", report.due_on.isoformat()),
            ("报送日期", report.submitted_on.isoformat() if report.submitted_on else "未报送"),
            ("是否逾期", "逾期" if report.late else "否"),
        ],
        [
            "社区",
            "月初户数",
            "月末户数",
            "新增户",
            "退出户",
            "月初人数",
            "月末人数",
            "新增人数",
            "退出人数",
            "发放服务券（张）",
            "发放金额（元）",
            "使用（张）",
            "使用金额（元）",
            "过期（张）",
            "过期金额（元）",
        ],
        [row(c) for c in (*report.communities, report.district)],
        notes,
    )


def year_table(summary: AllowancesYear) -> Table:
    """Allowances' figures for the year's work summary, as the summary quotes them."""
    new = "—" if summary.high_age_new is None else summary.high_age_new
    return Table(
        f"{summary.year}年度工作总结数据：高龄津贴与九十岁以上老人",
        [
            *community_line(summary.community),
            ("统计截至", summary.as_of.isoformat()),
            ("已生成名册月数", str(summary.months_rolled)),
        ],
        ["指标", "数值"],
        [
            ["享受高龄津贴人数", summary.high_age_paid],
            ["其中本年新增", new],
            ["发放高龄津贴金额（元）", yuan(summary.high_age_fen)],
            ["九十岁以上老人（在册）", summary.ninety_plus],
            ["本年去世的九十岁以上老人", summary.ninety_plus_died],
        ],
        ["高龄津贴按本年各月冻结的名册统计；九十岁以上老人按统计截至日的年龄计。"],
    )
