"""The budget page's partner units, one to a line as the office writes them: a unit giving
money in yuan, or lending a venue; a line that is neither is named by its number, in Chinese;
the line's number counts the blank lines too, as the reader sees them."""

from portal.budgets import partners_of
from portal.forms import FormState


def test_partner_units_are_read_one_to_a_line(chinese):
    form = FormState(fields=("partners",))
    text = "区人民医院 资金 2,000.50\n\n第一小学 场地 操场 东侧\n某公司 物资 100\n某单位 资金 两千"
    assert partners_of(text, form) == [
        {"name": "区人民医院", "gives": "money", "amount_fen": 200_050},
        {"name": "第一小学", "gives": "venue", "venue": "操场 东侧"},
    ]
    assert form.errors["partners"] == [
        "第 4 行：先写单位名称，再写“资金”和金额（元），或“场地”和场地名称。",
        "第 5 行：金额不是以元为单位的数字。",
    ]
