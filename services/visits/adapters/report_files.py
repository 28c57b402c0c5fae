"""The key-target list as the community keeps it: an XLSX workbook and a printable PDF
(`shared.printing`, from the templates in `services/visits/templates`), in Chinese."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from services.visits.domain.key_target_list import KeyTarget, KeyTargetReport
from shared.cells import safe_row
from shared.config import Settings
from shared.printing import footer_rows, printed
from shared.vocabulary import KEY_TARGET_REASONS, SEXES, VISIT_KIND_LABELS

TITLE = "重点服务对象名单"
COLUMNS = [
    "序号",
    "社区",
    "姓名",
    "性别",
    "年龄",
    "住址",
    "重点服务原因",
    "最近走访日期",
    "走访人",
    "走访方式",
]


def rows(report: KeyTargetReport, zone: ZoneInfo) -> list[list[object]]:
    return [_row(n, target, zone) for n, target in enumerate(report.targets, start=1)]


def key_targets_xlsx(report: KeyTargetReport, settings: Settings) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(TITLE)
    sheet.append([f"{TITLE}（{_scope(report)}）"])
    sheet.append(["制表日期", report.made_on.isoformat()])
    for line in footer_rows(settings):
        sheet.append(safe_row(line))
    for staff in report.staff:
        sheet.append(safe_row([staff.community, "负责人", staff.worker or "", staff.head or ""]))
    sheet.append([])
    sheet.append(COLUMNS)
    for row in rows(report, settings.zone):
        sheet.append(safe_row(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def key_targets_pdf(report: KeyTargetReport, settings: Settings) -> bytes:
    return printed(
        "services.visits",
        "reports/key_targets.html",
        settings,
        title=TITLE,
        scope=_scope(report),
        report=report,
        columns=COLUMNS,
        rows=rows(report, settings.zone),
    )


def _scope(report: KeyTargetReport) -> str:
    return report.community or "全街道"


def _row(number: int, target: KeyTarget, zone: ZoneInfo) -> list[object]:
    return [
        number,
        target.community,
        target.name,
        SEXES.get(target.sex, target.sex),
        target.age,
        target.address or "",
        "、".join(KEY_TARGET_REASONS.get(r, r) for r in target.reasons),
        _day(target.last_visited_at, zone) or "从未走访",
        target.last_visitor or "",
        VISIT_KIND_LABELS.get(target.last_kind, target.last_kind) if target.last_kind else "",
    ]


def _day(at: datetime | None, zone: ZoneInfo) -> str | None:
    return at.astimezone(zone).date().isoformat() if at else None
