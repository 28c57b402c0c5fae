"""Help beyond a visit, over HTTP: a help request referred to a department or a legal helper
and what came of it; relief raised for its elder, gift by gift, and handed over."""

import uuid
from typing import Any

from marshmallow import Schema, fields, validate

from services.visits.domain.referrals import Referral, Relief
from services.visits.entrypoints.api import READERS, WORKERS, me, visible
from services.visits.entrypoints.api import visits_app as app
from services.visits.service_layer import referrals
from shared.documents import plain
from shared.errors import NotFound
from shared.vocabulary import REFERRAL_KINDS
from shared.web.auth import requires
from shared.web.blueprint import Blueprint
from shared.web.problems import documented

blueprint = Blueprint(
    "referrals",
    __name__,
    url_prefix="/help-requests",
    description="Help beyond a visit: referrals to departments or legal helpers, relief raised",
)
TEXT = validate.Length(min=1, max=2000)
NAME = validate.Length(min=1, max=200)
ID = fields.String(
    validate=NAME, metadata={"description": "Stable id from the client: sent twice, it is one"}
)


class ReferralInSchema(Schema):
    kind = fields.String(
        required=True,
        validate=validate.OneOf(tuple(REFERRAL_KINDS)),
        metadata={"description": ", ".join(f"{k} ({v})" for k, v in REFERRAL_KINDS.items())},
    )
    referred_to = fields.String(required=True, validate=NAME)
    reason = fields.String(required=True, validate=TEXT)
    referred_on = fields.Date(load_default=None, metadata={"description": "Default: today"})


class OutcomeSchema(Schema):
    outcome = fields.String(required=True, validate=TEXT)
    concluded_on = fields.Date(load_default=None, metadata={"description": "Default: today"})


class ReferralSchema(Schema):
    referral_id = fields.String()
    request_id = fields.String()
    elder_id = fields.String()
    community = fields.String()
    kind = fields.String()
    referred_to = fields.String()
    referred_on = fields.Date()
    referred_by = fields.String()
    reason = fields.String()
    status = fields.String(metadata={"enum": ["open", "concluded"]})
    outcome = fields.String(allow_none=True)
    concluded_on = fields.Date(allow_none=True)
    version = fields.Integer()


class ReliefInSchema(Schema):
    purpose = fields.String(required=True, validate=TEXT)


class GiftInSchema(Schema):
    gift_id = ID
    given_by = fields.String(required=True, validate=NAME)
    amount_fen = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    given_on = fields.Date(load_default=None, metadata={"description": "Default: today"})


class HandoverInSchema(Schema):
    handover_id = ID
    amount_fen = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    received_by = fields.String(required=True, validate=NAME)
    handed_on = fields.Date(load_default=None, metadata={"description": "Default: today"})


class GiftSchema(Schema):
    gift_id = fields.String()
    given_by = fields.String()
    amount_fen = fields.Integer()
    given_on = fields.Date()


class HandoverSchema(Schema):
    handover_id = fields.String()
    amount_fen = fields.Integer()
    handed_on = fields.Date()
    handed_by = fields.String()
    received_by = fields.String()


class ReliefSchema(Schema):
    relief_id = fields.String()
    request_id = fields.String()
    elder_id = fields.String()
    community = fields.String()
    purpose = fields.String()
    gifts = fields.List(fields.Nested(GiftSchema))
    handovers = fields.List(fields.Nested(HandoverSchema))
    raised_fen = fields.Integer()
    handed_over_fen = fields.Integer()
    held_fen = fields.Integer(metadata={"description": "Raised, not yet handed over"})
    version = fields.Integer()


class BeyondSchema(Schema):
    referrals = fields.List(fields.Nested(ReferralSchema))
    relief = fields.List(fields.Nested(ReliefSchema))


def relief_view(relief: Relief) -> dict[str, Any]:
    return {
        **plain(relief),
        "raised_fen": relief.raised_fen,
        "handed_over_fen": relief.handed_over_fen,
        "held_fen": relief.held_fen,
    }


def _request(request_id: str) -> None:
    visible(app().help_requests.require(request_id))


@blueprint.route("/<request_id>/beyond")
@requires(*READERS)
@blueprint.response(200, BeyondSchema)
@documented(blueprint, 404)
def beyond(request_id: str) -> dict[str, Any]:
    """The request's referrals and the relief raised for it"""
    _request(request_id)
    referred, relief = referrals.beyond(app(), request_id)
    return {"referrals": referred, "relief": [relief_view(r) for r in relief]}


@blueprint.route("/<request_id>/referrals", methods=["POST"])
@requires(*WORKERS)
@blueprint.arguments(ReferralInSchema)
@blueprint.response(201, ReferralSchema)
@documented(blueprint, 404, 422)
def refer(body: dict[str, Any], request_id: str) -> Referral:
    """Refer the request to a department or a legal helper (物色有关人员予以帮助)"""
    _request(request_id)
    on = body.pop("referred_on")
    return referrals.refer(app(), str(uuid.uuid4()), request_id, by=me(), on=on, **body)


@blueprint.route("/<request_id>/referrals/<referral_id>/outcome", methods=["POST"])
@requires(*WORKERS)
@blueprint.arguments(OutcomeSchema)
@blueprint.response(200, ReferralSchema)
@documented(blueprint, 404, 409, 422)
def conclude(body: dict[str, Any], request_id: str, referral_id: str) -> Referral:
    """What came of the referral"""
    _request(request_id)
    if app().referrals.require(referral_id).request_id != request_id:
        raise NotFound(f"help request {request_id} has no referral {referral_id}")
    return referrals.conclude(app(), referral_id, body["outcome"], body["concluded_on"])


@blueprint.route("/<request_id>/relief", methods=["POST"])
@requires(*WORKERS)
@blueprint.arguments(ReliefInSchema)
@blueprint.response(201, ReliefSchema)
@documented(blueprint, 404, 422)
def open_relief(body: dict[str, Any], request_id: str) -> dict[str, Any]:
    """Raise relief for the request's elder (募集资金): say what it is for"""
    _request(request_id)
    return relief_view(referrals.open_relief(app(), str(uuid.uuid4()), request_id, body["purpose"]))


def _relief(request_id: str, relief_id: str) -> None:
    _request(request_id)
    if app().relief.require(relief_id).request_id != request_id:
        raise NotFound(f"help request {request_id} has no relief {relief_id}")


@blueprint.route("/<request_id>/relief/<relief_id>/gifts", methods=["POST"])
@requires(*WORKERS)
@blueprint.arguments(GiftInSchema)
@blueprint.response(200, ReliefSchema)
@documented(blueprint, 404, 409, 422)
def give(body: dict[str, Any], request_id: str, relief_id: str) -> dict[str, Any]:
    """A gift to the relief, in fen, from a unit or a person"""
    _relief(request_id, relief_id)
    gift_id = body.get("gift_id") or str(uuid.uuid4())
    relief = referrals.receive_gift(
        app(), relief_id, gift_id, body["given_by"], body["amount_fen"], body["given_on"]
    )
    return relief_view(relief)


@blueprint.route("/<request_id>/relief/<relief_id>/handovers", methods=["POST"])
@requires(*WORKERS)
@blueprint.arguments(HandoverInSchema)
@blueprint.response(200, ReliefSchema)
@documented(blueprint, 404, 409, 422)
def hand_over(body: dict[str, Any], request_id: str, relief_id: str) -> dict[str, Any]:
    """Hand over some of what was raised, never more than is held"""
    _relief(request_id, relief_id)
    handover_id = body.get("handover_id") or str(uuid.uuid4())
    relief = referrals.hand_over(
        app(),
        relief_id,
        handover_id,
        body["amount_fen"],
        body["received_by"],
        me(),
        body["handed_on"],
    )
    return relief_view(relief)
