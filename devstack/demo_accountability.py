"""The year's plan and budget of community c01 for the demonstration, so that the head's plan,
scorecard and budget pages are not empty: targets with the person responsible, the budget's
lines with two partner units, and what was spent; made through visits' API with the head's
token."""

from datetime import date, timedelta

from devstack.demo_records import call_api
from devstack.stack import DEMO_COMMUNITY

TARGETS = (  # measure, target, responsible
    ("routine_visits", 95, "李主任"),
    ("must_visits_in_time", 100, "李主任"),
    ("service_items", 10, "王社工"),
    ("activities", 12, "王社工"),
    ("volunteer_teams", 2, "张书记"),
)
LINES = {"equipment": 800_000, "periodicals": 120_000, "activities": 500_000}
PARTNERS = (
    {"name": "区人民医院", "gives": "money", "amount_fen": 300_000},
    {"name": "实验小学", "gives": "venue", "venue": "操场"},
)
SPENT = (  # line, fen, what, days ago
    ("periodicals", 96_000, "订阅《中国老年报》等八种报刊", 40),
    ("activities", 128_050, "重阳节联欢会", 20),
    ("equipment", 356_000, "活动室健身器材", 10),
)


def load(visits: str, head: str) -> None:
    today = date.today()
    year = today.year
    targets = [{"measure": m, "target": t, "responsible": r} for m, t, r in TARGETS]
    call_api("PUT", f"{visits}/plans/{DEMO_COMMUNITY}/{year}", head, json={"targets": targets})
    lines = [{"line": k, "planned_fen": v} for k, v in LINES.items()]
    budget = {"lines": lines, "partners": list(PARTNERS)}
    call_api("PUT", f"{visits}/budgets/{DEMO_COMMUNITY}/{year}", head, json=budget)
    for n, (line, amount, what, days_ago) in enumerate(SPENT):
        spent_on = max(today - timedelta(days=days_ago), date(year, 1, 1))
        spending = {"spending_id": f"demo-{n}", "line": line, "amount_fen": amount,
                    "spent_on": spent_on.isoformat(), "what": what}  # fmt: skip
        call_api("POST", f"{visits}/budgets/{DEMO_COMMUNITY}/{year}/spending", head, json=spending)
