"""The key-target list as the community keeps it: an XLSX workbook and a printable PDF
(`shared.printing`, from the templates in `services/visits/templates`), in Chinese."""

import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from services.visits.domain.feedback import Satisfaction, SatisfactionReport
from services.visits.domain.home_care_report import HomeCareVisitReport, VisitFigures
from services.visits.domain.key_target_list import KeyTarget, KeyTargetReport
from services.visits.domain.public_notice import PublicNotice
from services.visits.domain.year_summary import VisitsYear
from shared.cells import safe_row
from shared.printing import printed
from shared.report_files import Table, community_line, row_name
from shared.service_contacts import ServiceContacts
from shared.vocabulary import (
    KEY_TARGET_REASONS,
    SERVICE_TYPE_LABELS,
    SEXES,
    TEAM_KINDS,
    TRIGGERS,
    VISIT_KIND_LABELS,
    VOLUNTEER_TEAM_KINDS,
)

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


def key_targets_xlsx(report: KeyTargetReport, contacts: ServiceContacts, zone: ZoneInfo) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(TITLE)
    sheet.append(safe_row([f"{TITLE}（{_scope(report)}）"]))
    sheet.append(["制表日期", report.made_on.isoformat()])
    for line in contacts.footer_rows():
        sheet.append(safe_row(line))
    for staff in report.staff:
        sheet.append(safe_row([staff.community, "负责人", staff.worker or "", staff.head or ""]))
    sheet.append([])
    sheet.append(COLUMNS)
    for row in rows(report, zone):
        sheet.append(safe_row(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def key_targets_pdf(report: KeyTargetReport, contacts: ServiceContacts, zone: ZoneInfo) -> bytes:
    return printed(
        "services.visits",
        "reports/key_targets.html",
        contacts,
        title=TITLE,
        scope=_scope(report),
        report=report,
        columns=COLUMNS,
        rows=rows(report, zone),
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


def home_care_table(report: HomeCareVisitReport) -> Table:
    """Visits' part of the monthly home-care report as one table."""
    year, month = report.month.split("-")
    types = list(report.district.services)

    def row(figures: VisitFigures) -> list[object]:
        home, must = figures.home_care_visits, figures.must_visits
        services = [figures.services.get(t, 0) for t in types]
        return [
            row_name(figures.community),
            home.due,
            home.made,
            home.overdue,
            must.due,
            must.made,
            must.overdue,
            *services,
        ]

    filed = report.filed
    return Table(
        f"居家养老月报表（{year}年{int(month)}月）：走访与服务",
        [
            ("报送截止日期", filed.due_on.isoformat()),
            ("是否已报送", "已报送" if filed.handed_in else "未报送"),
            ("是否逾期", "逾期" if filed.late else "否"),
        ]
        if filed
        else [],
        [
            "社区",
            "上门走访应访",
            "已访",
            "逾期",
            "必访应访",
            "已访",
            "逾期",
            *(f"{SERVICE_TYPE_LABELS.get(t, t)}（人次）" for t in types),
        ],
        [row(c) for c in (*report.communities, report.district)],
        ["逾期：过了期限才走访，或期限已过仍未走访；应访不含已取消的任务。"],
    )


def year_table(summary: VisitsYear) -> Table:
    """Visits' figures for the year's work summary, as the summary quotes them."""
    rows: list[list[object]] = [["必访已走访（人次）", "合计", summary.must_visits_total]]
    rows += [
        ["必访已走访（人次）", TRIGGERS[t].label, n] for t, n in summary.must_visits_made.items()
    ]
    rows.append(["提供服务（人次）", "合计", summary.services_total])
    rows += [
        ["提供服务（人次）", SERVICE_TYPE_LABELS.get(t, t), n] for t, n in summary.services.items()
    ]
    rows += _activity_rows(summary)
    return Table(
        f"{summary.year}年度工作总结数据：走访与服务",
        community_line(summary.community),
        ["指标", "分项", "数值"],
        rows,
        [
            "必访按任务完成日期计入年度；服务按提供日期计入年度。",
            "队伍为年内存在过的队伍，队员为年内在队的人（一人在几支队伍计一人）。",
        ],
    )


def _activity_rows(summary: VisitsYear) -> list[list[object]]:
    """The teams by kind with their members, and the person-times of learning and activities
    and the hours of volunteer service, as the summary quotes them."""
    rows: list[list[object]] = [
        ["队伍（支）", "合计", sum(t["teams"] for t in summary.teams.values())]
    ]
    rows += [["队伍（支）", TEAM_KINDS[k], t["teams"]] for k, t in summary.teams.items()]
    rows += [["队员（人）", TEAM_KINDS[k], t["members"]] for k, t in summary.teams.items()]
    return [
        *rows,
        ["学习活动（人次）", "课程与讲座", summary.learning_person_times],
        ["学习活动（人次）", "文体活动", summary.activity_person_times],
        ["志愿服务（小时）", "合计", summary.volunteer_hours],
    ]


def activities_table(found: dict[str, Any]) -> Table:
    """Learning, activities and teams in a period, per community and for the district."""

    def row(name: str, figures: dict[str, Any]) -> list[object]:
        teams, volunteer_teams = figures["teams"], figures["teams"]["by_kind"]
        volunteering = sum(
            volunteer_teams.get(kind, {}).get("teams", 0) for kind in VOLUNTEER_TEAM_KINDS
        )
        courses, activities = figures["courses"]["total"], figures["activities"]["total"]
        venues = figures["venues"]["total"]
        return [
            name,
            teams["total"]["teams"],
            teams["total"]["members"],
            volunteering,
            courses["courses"],
            courses["enrolments"],
            courses["person_times"],
            activities["held"],
            activities["person_times"],
            figures["volunteer_service"]["total"]["hours"],
            venues["venues"],
            venues["area_m2"],
            figures["person_times"],
        ]

    return Table(
        f"老年人学习、活动与发挥余热（{found['first']}至{found['last']}）",
        [],
        [
            "社区",
            "队伍（支）",
            "队员（人）",
            "其中志愿服务队（支）",
            "课程讲座（门）",
            "报名（人）",
            "听课（人次）",
            "活动（次）",
            "参加活动（人次）",
            "志愿服务（小时）",
            "活动场地（处）",
            "场地面积（平方米）",
            "合计（人次）",
        ],
        [
            *(row(c["community"], c) for c in found["communities"]),
            row(row_name(""), found["district"]),
        ],
        [
            "人次：每次课程、活动的到场人数之和；开放活动按现场清点人数计。一人参加多支队伍，队员按一人计。"
        ],
    )


def satisfaction_table(report: SatisfactionReport) -> Table:
    """Satisfaction (满意度) of a period in all, per community, worker and type of service, and
    the complaints received and how they were answered."""

    def rows(group: str, found: dict[str, Satisfaction], name: Any = str) -> list[list[object]]:
        return [
            [group, name(key), s.ratings, s.satisfied, s.mean, s.share] for key, s in found.items()
        ]

    total = report.total
    body: list[list[object]] = [
        ["合计", "全部", total.ratings, total.satisfied, total.mean, total.share],
        *rows("社区", report.by_community),
        *rows("工作人员", report.by_worker),
        *rows("服务类别", report.by_service_type, lambda t: SERVICE_TYPE_LABELS.get(t, t)),
    ]
    complaints = report.complaints
    scope = report.community or "全区"
    return Table(
        f"服务对象满意度（{report.first}至{report.last}）",
        [
            ("范围", scope),
            (
                "投诉",
                f"收到{complaints['received']}件，按时答复{complaints['answered_in_time']}件，"
                f"逾期答复{complaints['answered_late']}件，未答复{complaints['open']}件"
                f"（其中已逾期{complaints['overdue']}件）",
            ),
        ],
        ["分组", "名称", "评价（次）", "满意（次）", "平均分", "满意率（%）"],
        body,
        ["满意：评为4分（满意）或5分（很满意）；满分5分。"],
    )


def public_notice_pdf(notice: PublicNotice, contacts: ServiceContacts, made_on: str) -> bytes:
    """The notice to post on the community's wall, one A4 page."""
    return printed(
        "services.visits", "reports/public_notice.html", contacts, notice=notice, made_on=made_on
    )
