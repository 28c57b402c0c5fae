"""The lines of each measure of the yearly evaluation (`domain.scorecard`), from the records of
the year: one line per record judged, counted or not, and why not, in the office's words.

Work is judged once its deadline has passed (or once it is done): a visit not yet due, or a
help request still within its response time, is not a line yet."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from services.visits.domain.feedback import Feedback
from services.visits.domain.filings import Filing, due_on
from services.visits.domain.help_requests import HelpRequest
from services.visits.domain.obligations import Obligation
from services.visits.domain.scorecard import DISTRICT, Line
from shared.vocabulary import (
    FEEDBACK_SUBJECTS,
    OBLIGATION_KIND_LABELS,
    PROGRAMME_LABELS,
    RATING_LABELS,
    TRIGGERS,
)

URGENT = "urgent"
FIVE_ONES = {
    "key_target_list": "重点服务对象名单",
    "service_guide": "服务指南",
    "priority_card": "老年人优先服务卡",
    "hotline": "服务热线",
    "volunteer_team": "志愿服务队",
}
MISSING = {
    "key_target_list": "名单上没有在册的重点服务对象",
    "service_guide": "街道未设置服务指南（工作台：服务热线与服务指南）",
    "priority_card": "没有在册老人持有优先服务卡",
    "hotline": "街道未设置服务热线（工作台：服务热线与服务指南）",
    "volunteer_team": "本年没有在册的志愿服务队",
}


def obligation_lines(
    obligations: Iterable[Obligation], now: datetime, zone: ZoneInfo
) -> list[Line]:
    """The year's visit work that has fallen due: must-visits made in time, routine visits
    made, and none of it left open past its deadline."""
    lines: list[Line] = []
    for o in obligations:
        if o.status == "cancelled" or (o.status == "open" and o.due_at > now):
            continue
        label = _work_label(o, zone)
        still_open = f"逾期未办，已过期限 {_late_by(o.due_at, now)}" if o.status == "open" else ""
        lines.append(_work_line("no_overdue_work", o, label, still_open))
        if o.kind == "mandatory":
            lines.append(_work_line("must_visits_in_time", o, label, _must_visit_missed(o, now)))
        elif o.kind == "routine":
            lines.append(
                _work_line("routine_visits", o, label, "" if o.status == "met" else "未走访")
            )
    return lines


def _must_visit_missed(o: Obligation, now: datetime) -> str:
    if o.met_at is None:
        return f"未走访，已过期限 {_late_by(o.due_at, now)}"
    if o.met_at > o.due_at:
        return f"超过期限 {_late_by(o.due_at, o.met_at)} 才走访"
    return ""


def _work_line(measure: str, o: Obligation, label: str, why: str) -> Line:
    return Line(measure, o.community, o.obligation_id, label, not why, why, o.assignee, o.elder_id)


def _work_label(o: Obligation, zone: ZoneInfo) -> str:
    kind = OBLIGATION_KIND_LABELS.get(o.kind, o.kind)
    trigger = f"（{TRIGGERS[o.trigger].label}）" if o.trigger in TRIGGERS else ""
    return f"{kind}{trigger}，期限 {o.due_at.astimezone(zone):%Y-%m-%d %H:%M}"


def _late_by(due: datetime, then: datetime) -> str:
    hours = max(0, int((then - due) / timedelta(hours=1)))
    return f"{hours // 24} 天 {hours % 24} 小时" if hours >= 24 else f"{hours} 小时"


def help_lines(requests: Iterable[HelpRequest], now: datetime, zone: ZoneInfo) -> list[Line]:
    """The year's urgent help requests whose response time has passed, or that were taken."""
    lines = []
    for r in requests:
        if r.urgency != URGENT or (r.responded_at is None and r.respond_by > now):
            continue
        if r.responded_at is None:
            why = f"未响应，已超过响应时限 {_late_by(r.respond_by, now)}"
        elif r.responded_at > r.respond_by:
            why = f"超过响应时限 {_late_by(r.respond_by, r.responded_at)} 才响应"
        else:
            why = ""
        at, by = r.reported_at.astimezone(zone), r.respond_by.astimezone(zone)
        label = f"紧急求助，{at:%Y-%m-%d %H:%M} 报告，{by:%m-%d %H:%M} 前响应"
        lines.append(
            Line(
                "urgent_help_in_time",
                r.community,
                r.request_id,
                label,
                not why,
                why,
                r.responder,
                r.elder_id,
            )
        )
    return lines


def rating_lines(given: Iterable[Feedback], zone: ZoneInfo) -> list[Line]:
    return [
        Line(
            "satisfaction",
            f.community,
            f.feedback_id,
            f"{FEEDBACK_SUBJECTS.get(f.subject, f.subject)}评价 {f.rating} 分"
            f"（{RATING_LABELS.get(f.rating, '')}），{f.recorded_at.astimezone(zone):%Y-%m-%d}",
            f.satisfied,
            "" if f.satisfied else f.remarks or "不满意",
            f.worker,
            f.elder_id,
        )
        for f in given
    ]


def report_lines(filings: Iterable[Filing], year: int, today: date) -> list[Line]:
    """Each month's cycle of each programme, from the first month the district filed one:
    handed in by the report day, late, or not yet handed in once the day has passed."""
    known = list(filings)
    by_cycle = {f.cycle_id: f for f in known}
    first: dict[str, str] = {}
    for f in sorted(by_cycle.values(), key=lambda f: f.month):
        first.setdefault(f.programme, f.month)
    lines = []
    for programme, label in PROGRAMME_LABELS.items():
        for month in _months(year):
            filed = by_cycle.get(f"{programme}:{month}")
            if month < first.get(programme, "9999-99") or (
                filed is None and today <= due_on(month, known)
            ):
                continue
            why = "未报送" if filed is None else "逾期报送" if filed.late else ""
            lines.append(
                Line(
                    "reports_on_time",
                    DISTRICT,
                    f"{programme}:{month}",
                    f"{month} {label}发放名册及月报表",
                    not why,
                    why,
                )
            )
    return lines


def _months(year: int) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(1, 13)]


def five_ones_lines(community: str, in_place: Mapping[str, bool]) -> list[Line]:
    return [
        Line("five_ones", community, item, label, in_place.get(item, False), _why(item, in_place))
        for item, label in FIVE_ONES.items()
    ]


def _why(item: str, in_place: Mapping[str, bool]) -> str:
    return "" if in_place.get(item, False) else MISSING[item]


def year_bounds(year: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The year's first moment, and the next year's, in the district's time."""
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)
