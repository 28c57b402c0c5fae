"""The yearly evaluation (年度考核) over HTTP: the district's communities compared, one
community's card with its workers', the records behind any measure, the district's weights,
and the year frozen at its end."""

from typing import Any

from marshmallow import Schema, fields, validate

from services.visits.domain.scorecard import MEASURES, Scorecard
from services.visits.entrypoints.api import HEADS, READERS, me
from services.visits.entrypoints.api import visits_app as app
from services.visits.service_layer import scorecard
from services.visits.service_layer.scorecard import YearCards
from shared.roles import ADMIN, SUMMARY_READERS
from shared.web.auth import forbidden, principal, require_community, requires
from shared.web.blueprint import Blueprint
from shared.web.problems import documented

blueprint = Blueprint(
    "scorecards",
    __name__,
    url_prefix="/scorecards",
    description="The yearly evaluation (年度考核): scorecards per community and worker, each "
    "point traced to its records, frozen at the year's end",
)
MEASURE_NOTE = "; ".join(f"{m}: {spec.label} ({spec.what})" for m, spec in MEASURES.items())


class ScoreSchema(Schema):
    measure = fields.String(metadata={"description": MEASURE_NOTE})
    label = fields.String()
    weight = fields.Integer()
    counted = fields.Integer(metadata={"description": "Records that earned the measure"})
    lines = fields.Integer(metadata={"description": "Records judged"})
    share = fields.Float(allow_none=True, metadata={"description": "counted / lines, in %"})
    points = fields.Float(
        allow_none=True,
        metadata={"description": "Points of 100 earned; null: nothing judged this year"},
    )


class ScorecardSchema(Schema):
    kind = fields.String(metadata={"description": "community or worker"})
    subject = fields.String(metadata={"description": "The community's code or the worker"})
    total = fields.Float(allow_none=True, metadata={"description": "The points added up"})
    scores = fields.List(fields.Nested(ScoreSchema))
    frozen_total = fields.Float(
        allow_none=True,
        metadata={"description": "The total as frozen at the year's end, when it was"},
    )
    frozen = fields.List(
        fields.Nested(ScoreSchema),
        allow_none=True,
        metadata={"description": "The scores as frozen, beside those worked out now"},
    )


class YearCardsSchema(Schema):
    year = fields.Integer()
    weights = fields.Dict(keys=fields.String(), values=fields.Integer())
    counted_at = fields.DateTime(
        metadata={"description": "When the cards were counted from the records"}
    )
    frozen_at = fields.DateTime(allow_none=True)
    frozen_by = fields.String(allow_none=True)
    communities = fields.List(fields.Nested(ScorecardSchema))
    workers = fields.List(fields.Nested(ScorecardSchema))


class FreshArgsSchema(Schema):
    fresh = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Count the cards again now (the district administrator; seconds for "
            "a district's year), not as visits' worker last counted them"
        },
    )


class LineSchema(Schema):
    measure = fields.String()
    community = fields.String(metadata={"description": "Empty: about the whole district"})
    record = fields.String(metadata={"description": "The record's id, or the item's"})
    label = fields.String()
    counted = fields.Boolean()
    why = fields.String(metadata={"description": "Why it did not count"})
    worker = fields.String(allow_none=True)
    elder_id = fields.String(allow_none=True)


class LinesArgsSchema(Schema):
    worker = fields.String(load_default=None, validate=validate.Length(min=1, max=100))


class LinesSchema(Schema):
    community = fields.String()
    year = fields.Integer()
    measure = fields.String()
    label = fields.String()
    worker = fields.String(allow_none=True)
    lines = fields.List(fields.Nested(LineSchema))


class WeightsSchema(Schema):
    weights = fields.Dict(
        keys=fields.String(validate=validate.OneOf(tuple(MEASURES))),
        values=fields.Integer(strict=True, validate=validate.Range(min=0, max=100)),
        required=True,
        metadata={"description": "Weights of the measures set; the others keep theirs"},
    )


def card_view(card: Scorecard, frozen: Scorecard | None) -> dict[str, Any]:
    return {
        "kind": card.kind,
        "subject": card.subject,
        "total": card.total,
        "scores": scores_view(card),
        "frozen_total": frozen.total if frozen else None,
        "frozen": scores_view(frozen) if frozen else None,
    }


def scores_view(card: Scorecard) -> list[dict[str, Any]]:
    return [
        {
            "measure": s.measure,
            "label": MEASURES[s.measure].label,
            "weight": s.weight,
            "counted": s.counted,
            "lines": s.lines,
            "share": s.share,
            "points": s.points,
        }
        for s in card.scores
    ]


def year_view(cards: YearCards, workers: list[Scorecard]) -> dict[str, Any]:
    frozen = cards.frozen

    def beside(card: Scorecard) -> dict[str, Any]:
        return card_view(card, frozen.card(card.kind, card.subject) if frozen else None)

    return {
        "year": cards.year,
        "weights": cards.weights,
        "counted_at": cards.counted_at,
        "frozen_at": frozen.frozen_at if frozen else None,
        "frozen_by": frozen.frozen_by if frozen else None,
        "communities": [beside(card) for card in cards.communities],
        "workers": [beside(card) for card in workers],
    }


def heads_all() -> bool:
    """Heads and the district see every worker's card; anyone else, their own."""
    return bool(principal().roles & {*HEADS, ADMIN})


def own_work_only() -> bool:
    """A visitor's drill-down is their own work; the others read the community's."""
    return "visitor" in principal().roles and not heads_all()


@blueprint.route("/district/<int:year>")
@requires(*READERS, *SUMMARY_READERS)
@blueprint.arguments(FreshArgsSchema, location="query")
@blueprint.response(200, YearCardsSchema)
@documented(blueprint, 403, 422)
def district(args: dict[str, Any], year: int) -> dict[str, Any]:
    """Every community's card of the year, for comparison: as visits' worker last counted it
    from the records (`counted_at` says when), weighed as the district weighs now, and as
    frozen at the year's end beside it"""
    if args["fresh"] and ADMIN not in principal().roles:
        forbidden("Only the district administrator counts the cards again.")
    return year_view(scorecard.district_cards(app(), year, args["fresh"]), [])


@blueprint.route("/district/<int:year>/freeze", methods=["POST"])
@requires()
@blueprint.response(201, YearCardsSchema)
@documented(blueprint, 409, 422)
def freeze(year: int) -> dict[str, Any]:
    """Freeze the year's cards, every community's and worker's, as its result, after it
    ends; records corrected later change the cards worked out, shown beside the frozen"""
    scorecard.freeze_year(app(), year, me())
    cards = scorecard.district_cards(app(), year)
    return year_view(cards, cards.workers)


@blueprint.route("/weights")
@requires(*READERS, *SUMMARY_READERS)
@blueprint.response(200, WeightsSchema)
def weights() -> dict[str, Any]:
    """Every measure's weight: the district's, or the default"""
    return {"weights": scorecard.weights_now(app())}


@blueprint.route("/weights", methods=["PUT"])
@requires()
@blueprint.arguments(WeightsSchema)
@blueprint.response(200, WeightsSchema)
@documented(blueprint, 422)
def set_weights(body: dict[str, Any]) -> dict[str, Any]:
    """Set the weights of some measures (0 drops one); the others keep theirs"""
    return {"weights": scorecard.set_weights(app(), body["weights"])}


@blueprint.route("/<community>/<int:year>")
@requires(*READERS, *SUMMARY_READERS)
@blueprint.response(200, YearCardsSchema)
@documented(blueprint, 403, 422)
def community(community: str, year: int) -> dict[str, Any]:
    """The community's card of the year as its records give it now, with its workers' cards
    (a visitor sees their own), and as frozen at the year's end beside them"""
    require_community(community)
    cards = scorecard.community_card(app(), community, year)
    workers = [w for w in cards.workers if heads_all() or w.subject == me()]
    return year_view(cards, workers)


@blueprint.route("/<community>/<int:year>/<measure>")
@requires(*READERS, *SUMMARY_READERS)
@blueprint.arguments(LinesArgsSchema, location="query")
@blueprint.response(200, LinesSchema)
@documented(blueprint, 403, 404, 422)
def lines(args: dict[str, Any], community: str, year: int, measure: str) -> dict[str, Any]:
    """The records behind one measure of the community's card (or of one worker's): those
    that did not count first, each with why"""
    require_community(community)
    spec, worker = MEASURES.get(measure), args["worker"]
    if spec is not None and spec.per_worker and own_work_only():
        worker = me()  # a visitor's own work
    found = scorecard.measure_lines(app(), year, measure, community, worker)
    return {
        "community": community,
        "year": year,
        "measure": measure,
        "label": MEASURES[measure].label,
        "worker": worker,
        "lines": [vars(line) for line in found],
    }
