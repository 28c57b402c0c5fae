"""Intake's figures for the year's work summary as the office quotes them (one table: a
workbook and a form to print, `shared.report_files`)."""

from collections.abc import Mapping

from services.intake.domain.statistics import HOME_CARE
from services.intake.domain.year_summary import IntakeYear
from shared.report_files import Table, community_line
from shared.vocabulary import HOUSEHOLD_TYPES


def year_table(
    summary: IntakeYear, card_names: Mapping[str, str], community_name: str | None = None
) -> Table:
    """`community_name`: the name of the community the summary is of, if it is one's."""
    rows: list[list[object]] = [["在册老年人（人）", "合计", summary.elders]]
    rows += [["年龄段（人）", f"{band}岁", n] for band, n in summary.age_bands.items()]
    for kind, counts in summary.households.items():
        if kind == HOME_CARE:
            rows.append(["居家养老户（户）", "合计", counts["households"]])
            rows.append(["居家养老户（户内人数）", "合计", counts["persons"]])
            continue
        named = HOUSEHOLD_TYPES.get(kind, kind)
        rows.append(["家庭类型（户）", named, counts["households"]])
        rows.append(["家庭类型（户内人数）", named, counts["persons"]])
    rows += [
        ["老年人按家庭类型（人）", HOUSEHOLD_TYPES.get(kind, kind), n]
        for kind, n in summary.household_types.items()
    ]
    rows.append(["重点服务对象（人）", "合计", summary.key_targets])
    rows += [["持有老年证（张）", card_names.get(c, c), n] for c, n in summary.cards_held.items()]
    rows += [
        ["本年发放老年证（张）", card_names.get(c, c), n] for c, n in summary.cards_issued.items()
    ]
    rows += [
        ["持有老年人优先服务卡（张）", "合计", summary.priority_cards_held],
        ["本年发放老年人优先服务卡（张）", "合计", summary.priority_cards_issued],
        ["志愿者（人）", "合计", summary.volunteers],
        ["志愿者（人）", "本年新登记", summary.volunteers_new],
    ]
    return Table(
        f"{summary.year}年度工作总结数据：老年人登记与志愿者",
        [
            *community_line(summary.community, community_name),
            ("统计截至", summary.as_of.isoformat()),
        ],
        ["指标", "分项", "数值"],
        rows,
        [
            "在册、年龄段、家庭类型与持证数为统计截至日的登记情况；家庭类型按户计户数和户内"
            "人数（含非在册同住人），并按在册老年人计人数；本年发放的老年证和优先服务卡按年内每次"
            "发放计，含补发、换发及此后注销的卡证。"
        ],
    )
