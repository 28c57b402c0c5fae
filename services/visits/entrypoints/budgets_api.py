"""The yearly elder-work budget over HTTP (老龄工作经费): a community's set by its head, the
district's own by the administrator, spending recorded against the lines, and the district's
budgets of the year read together."""

from datetime import date
from typing import Any

from marshmallow import Schema, fields, validate

from services.visits.domain.budgets import (
    DISTRICT_BUDGET,
    Budget,
    BudgetLine,
    PartnerUnit,
    Spending,
)
from services.visits.entrypoints.api import HEADS, READERS, me
from services.visits.entrypoints.api import visits_app as app
from services.visits.service_layer import budgets
from shared.roles import ADMIN, SUMMARY_READERS
from shared.vocabulary import BUDGET_LINES, PARTNER_GIFTS
from shared.web.auth import forbidden, principal, require_community, requires
from shared.web.blueprint import Blueprint
from shared.web.problems import documented

blueprint = Blueprint(
    "budgets",
    __name__,
    url_prefix="/budgets",
    description="The yearly elder-work budget (老龄工作经费): spending lines, partner units "
    "(共建单位), and what was spent",
)
LINE_NOTE = "; ".join(f"{k}: {v}" for k, v in BUDGET_LINES.items())


class BudgetLineSchema(Schema):
    line = fields.String(
        required=True,
        validate=validate.OneOf(tuple(BUDGET_LINES)),
        metadata={"description": LINE_NOTE},
    )
    planned_fen = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    spent_fen = fields.Integer(dump_only=True)
    left_fen = fields.Integer(dump_only=True, metadata={"description": "Negative: overspent"})


class PartnerUnitSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    gives = fields.String(
        required=True,
        validate=validate.OneOf(tuple(PARTNER_GIFTS)),
        metadata={"description": "money (资金) or venue (场地)"},
    )
    amount_fen = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0))
    venue = fields.String(load_default="", validate=validate.Length(max=100))


class BudgetInSchema(Schema):
    lines = fields.List(fields.Nested(BudgetLineSchema), required=True)
    partners = fields.List(fields.Nested(PartnerUnitSchema), load_default=list)
    version = fields.Integer(
        load_default=0, strict=True, metadata={"description": "The version read; 0 for a new one"}
    )


class SpendingSchema(Schema):
    spending_id = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "The client's id: spending sent twice is recorded once"},
    )
    line = fields.String(required=True, validate=validate.OneOf(tuple(BUDGET_LINES)))
    amount_fen = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    spent_on = fields.Date(required=True)
    what = fields.String(required=True, validate=validate.Length(min=1, max=200))
    recorded_by = fields.String(dump_only=True)


class BudgetTotalsSchema(Schema):
    owner = fields.String(metadata={"description": "A community's code, or district"})
    planned_fen = fields.Integer()
    partner_money_fen = fields.Integer()
    spent_fen = fields.Integer()
    left_fen = fields.Integer(metadata={"description": "planned + partners' money - spent"})
    partner_units = fields.Integer(metadata={"description": "How many partner units"})


class BudgetSchema(BudgetTotalsSchema):
    year = fields.Integer()
    set_by = fields.String()
    version = fields.Integer()
    lines = fields.List(fields.Nested(BudgetLineSchema))
    partners = fields.List(fields.Nested(PartnerUnitSchema))
    spending = fields.List(fields.Nested(SpendingSchema))


class DistrictBudgetsSchema(Schema):
    year = fields.Integer()
    district = fields.Nested(BudgetSchema, allow_none=True)
    communities = fields.List(fields.Nested(BudgetTotalsSchema))
    total = fields.Nested(BudgetTotalsSchema)


def budget_view(budget: Budget) -> dict[str, Any]:
    return {
        **totals_view(budget),
        "year": budget.year,
        "set_by": budget.set_by,
        "version": budget.version,
        "lines": [
            {
                "line": line.line,
                "planned_fen": line.planned_fen,
                "spent_fen": budget.spent_on_line(line.line),
                "left_fen": line.planned_fen - budget.spent_on_line(line.line),
            }
            for line in budget.lines
        ],
        "partners": [vars(p) for p in budget.partners],
        "spending": [vars(s) for s in budget.spending],
    }


def totals_view(budget: Budget) -> dict[str, Any]:
    return {
        "owner": budget.owner,
        "planned_fen": budget.planned_fen,
        "partner_money_fen": budget.partner_money_fen,
        "spent_fen": budget.spent_fen,
        "left_fen": budget.left_fen,
        "partner_units": len(budget.partners),
    }


def may_set(owner: str) -> None:
    """The district's own budget is the administrator's; a community's, its head's too."""
    if owner == DISTRICT_BUDGET:
        if ADMIN not in principal().roles:
            forbidden("The district's budget is set by the district administrator.")
    else:
        require_community(owner)


@blueprint.route("/district/<int:year>")
@requires(*READERS, *SUMMARY_READERS)
@blueprint.response(200, DistrictBudgetsSchema)
@documented(blueprint, 422)
def district(year: int) -> dict[str, Any]:
    """The district's own budget of the year, and every community's totals with their sum"""
    own, communities = budgets.district_budgets(app(), year)
    each = [totals_view(b) for b in communities]
    every = [*each, *([totals_view(own)] if own else [])]
    summed = ("planned_fen", "partner_money_fen", "spent_fen", "left_fen", "partner_units")
    total = {k: sum(t[k] for t in every) for k in summed}
    return {
        "year": year,
        "district": budget_view(own) if own else None,
        "communities": each,
        "total": {"owner": DISTRICT_BUDGET, **total},
    }


@blueprint.route("/<owner>/<int:year>", methods=["PUT"])
@requires(*HEADS)
@blueprint.arguments(BudgetInSchema)
@blueprint.response(200, BudgetSchema)
@documented(blueprint, 403, 409, 422)
def set_budget(body: dict[str, Any], owner: str, year: int) -> dict[str, Any]:
    """Set the year's budget of a community (its head) or of the district (`district`, the
    administrator): each spending line's amount, and the partner units with what they give"""
    may_set(owner)
    lines = [BudgetLine(line["line"], line["planned_fen"]) for line in body["lines"]]
    partners = [
        PartnerUnit(p["name"].strip(), p["gives"], p["amount_fen"], p["venue"].strip())
        for p in body["partners"]
    ]
    made = budgets.set_budget(app(), owner, year, lines, partners, me(), body["version"])
    return budget_view(made)


@blueprint.route("/<owner>/<int:year>")
@requires(*READERS, *SUMMARY_READERS)
@blueprint.response(200, BudgetSchema)
@documented(blueprint, 403, 404, 422)
def budget(owner: str, year: int) -> dict[str, Any]:
    """A community's (or the district's) budget of the year: each line planned, spent and
    left, the partner units, and the spending"""
    if owner != DISTRICT_BUDGET:
        require_community(owner)
    return budget_view(budgets.budget_of(app(), owner, year))


@blueprint.route("/<owner>/<int:year>/spending", methods=["POST"])
@requires(*HEADS)
@blueprint.arguments(SpendingSchema)
@blueprint.response(201, BudgetSchema)
@documented(blueprint, 403, 404, 422)
def record_spending(body: dict[str, Any], owner: str, year: int) -> dict[str, Any]:
    """Record money spent on a line of the budget; the same spending sent again is one"""
    may_set(owner)
    spent: date = body["spent_on"]
    spending = Spending(
        body["spending_id"], body["line"], body["amount_fen"], spent, body["what"].strip(), me()
    )
    return budget_view(budgets.record_spending(app(), owner, year, spending))
