"""Intake's HTTP doors for the register of elders: thin views over the use cases."""

from typing import Any

from flask import current_app

from services.intake.domain.district import District
from services.intake.domain.elder import Elder, Registration
from services.intake.entrypoints import schemas
from services.intake.service_layer import changes, households, queries
from services.intake.service_layer.container import Intake
from services.intake.service_layer.district import community_code
from services.intake.service_layer.registration import register_elder
from shared.clock import local_today
from shared.documents import plain
from shared.personal import redacted
from shared.web.access_log import logs_access, note_access
from shared.web.auth import (
    ADMIN,
    actor,
    principal,
    require_community,
    requires,
    scoped,
    visible,
)
from shared.web.blueprint import Blueprint
from shared.web.pagination import keyset_page, page_schema, paged
from shared.web.problems import documented

blueprint = Blueprint(
    "elders", __name__, url_prefix="/elders", description="The register of elders"
)
READERS = ("intake_clerk", "community_head", "visitor", "allowance_officer")
CLERK = "intake_clerk"
FULL_NUMBERS = {CLERK, ADMIN}  # who register and correct the numbers see them in full
# Who see an elder's care details (chronic illnesses, marriage, children, party membership,
# service) on the record and its history: the clerk records them, visitors and community
# heads care for the elder at home (their own community's elders only). Allowance officers
# pay by age and register, not by these.
CARE_READERS = {CLERK, "visitor", "community_head", ADMIN}


def intake() -> Intake:
    return current_app.extensions["intake"]


def scoped_elder(elder_id: str) -> Elder:
    """The elder, if the caller may see them."""
    elder = intake().elders.get(elder_id)
    visible(elder.community, f"elder with id {elder_id!r}")
    return elder


def view(elder: Elder, listed: bool = False, district: District | None = None) -> dict[str, Any]:
    """The elder as answered: the ID and phone numbers in full only to roles that need them
    (a single record, to the clerk and the administrator) and masked everywhere else; health
    details only on a single record, to the roles that care for the elder."""
    today = local_today(intake().clock, intake().settings.zone)
    warnings = [
        f"possible duplicate of {other}: same name, birth date and community; confirm as "
        f"distinct or merge with POST /elders/{elder.elder_id}/duplicates"
        for other in elder.possible_duplicates
    ]
    due = None
    if elder.card and elder.status == "active":
        district = district or intake().district.get()
        due = district.card_upgrade_due(elder.card.category, elder.age(today))
    shown = {
        **plain(elder),
        "emergency_contact": elder.emergency_contact or None,
        "age": elder.age(today),
        "warnings": warnings,
        "card_upgrade_due": due and due.code,
    }
    if listed:
        return redacted(shown)
    if principal().roles & FULL_NUMBERS:
        note_access("national_id", elder.elder_id)
    return shown_to_reader(shown)


def shown_to_reader(value: Any) -> Any:
    """One elder's record, or its history, as the caller's roles may read it."""
    roles = principal().roles
    return redacted(value, full_numbers=bool(roles & FULL_NUMBERS), care=bool(roles & CARE_READERS))


@blueprint.route("", methods=["POST"])
@requires(CLERK)
@blueprint.arguments(schemas.RegistrationSchema)
@blueprint.response(201, schemas.ElderSchema)
@documented(blueprint, 409, 422)
def register(body: dict[str, Any]) -> dict[str, Any]:
    """Register an elder (aged 60 or over)

    The community is its code or its name (金东社区, or 金东). The same ID number twice is
    refused with 409 naming the existing record. The same name and birth date in the same
    community is accepted with a warning.
    """
    body["community"] = community_code(intake(), body["community"])
    require_community(body["community"])
    return view(register_elder(intake(), Registration(**body), actor()))


@blueprint.route("")
@requires(*READERS)
@blueprint.arguments(schemas.ElderListArgs, location="query")
@blueprint.response(200, page_schema(schemas.ElderSchema, keyset=True))
def search_elders(args: dict[str, Any]) -> dict[str, Any]:
    """Search the register with filters, a page at a time

    In the order of elder ids. The total is counted from the register's tallies, except
    for filters by name, identity correction and card upgrade, which search the register.
    Page by cursor: `after` the page's `next`, `before` its `previous`; `page` (a page
    number) still works, and where the register is searched costs every elder before it.
    """
    found = queries.search(intake(), *_asked(args))
    district = intake().district.get()
    elders = found.elders
    return keyset_page(
        args,
        [view(e, listed=True, district=district) for e in elders],
        found.total,
        elders[0].elder_id if elders and found.more_before else None,
        elders[-1].elder_id if elders and found.more_after else None,
    )


@blueprint.route("/listed")
@requires(*READERS)
@blueprint.arguments(schemas.ElderListArgs, location="query")
@blueprint.response(200, page_schema(schemas.ListedElderSchema, keyset=True))
def list_elders(args: dict[str, Any]) -> dict[str, Any]:
    """The same search and pages as `GET /elders`, each elder as a list shows them

    Name, sex, age, community, status and the masked ID number: answered from the register's
    tallies without reading the elders' records where the tallies answer the filters (the
    staff's register search), else from the register's search.
    """
    found = queries.listed(intake(), *_asked(args))
    items = found.items
    return keyset_page(
        args,
        items,
        found.total,
        items[0]["elder_id"] if items and found.more_before else None,
        items[-1]["elder_id"] if items and found.more_after else None,
    )


def _asked(args: dict[str, Any]) -> tuple[dict[str, Any], queries.Window]:
    """A list's filters (a community's staff: their community), and the page asked for."""
    skip, limit = paged(scoped(args))
    filters = {k: v for k, v in args.items() if k not in ("page", "page_size", "after", "before")}
    return filters, queries.Window(limit, skip, args.get("after"), args.get("before"))


@blueprint.route("/<elder_id>")
@requires(*READERS)
@blueprint.response(200, schemas.ElderSchema)
@documented(blueprint, 404)
def elder_by_id(elder_id: str) -> dict[str, Any]:
    """One elder by id"""
    return view(scoped_elder(elder_id))


@blueprint.route("/<elder_id>", methods=["PATCH"])
@requires(CLERK)
@blueprint.arguments(schemas.UpdateSchema)
@blueprint.response(200, schemas.ElderSchema)
@documented(blueprint, 404, 409, 422)
def update_elder(body: dict[str, Any], elder_id: str) -> dict[str, Any]:
    """Change an elder's details, household or flags"""
    scoped_elder(elder_id)
    version = body.pop("version")
    return view(households.update_elder(intake(), elder_id, version, actor(), body))


@blueprint.route("/<elder_id>/history")
@requires(*READERS)
@logs_access("history", "elder_id")
@blueprint.response(200, schemas.HistorySchema(many=True))
@documented(blueprint, 404)
def history(elder_id: str) -> list[dict[str, Any]]:
    """Every change to the record: when, by whom, what"""
    scoped_elder(elder_id)
    return shown_to_reader(intake().elders.history(elder_id))


@blueprint.route("/<elder_id>/assessments", methods=["POST"])
@requires(CLERK)
@blueprint.arguments(schemas.AssessmentSchema)
@blueprint.response(200, schemas.ElderSchema)
@documented(blueprint, 404, 409, 422)
def assess(body: dict[str, Any], elder_id: str) -> dict[str, Any]:
    """Record a self-care assessment; the latest is in force until it expires"""
    scoped_elder(elder_id)
    version = body.pop("version")
    return view(changes.record_assessment(intake(), elder_id, version, actor(), **body))


@blueprint.route("/<elder_id>/death", methods=["POST"])
@requires(CLERK)
@blueprint.arguments(schemas.DeathSchema)
@blueprint.response(200, schemas.ElderSchema)
@documented(blueprint, 404, 409, 422)
def death(body: dict[str, Any], elder_id: str) -> dict[str, Any]:
    """Record a death: status deceased, the elder card cancelled, history kept"""
    scoped_elder(elder_id)
    return view(
        changes.record_death(
            intake(),
            elder_id,
            body["version"],
            actor(),
            body["died_on"],
            body["reported_by"],
        )
    )


@blueprint.route("/<elder_id>/moves", methods=["POST"])
@requires(CLERK)
@blueprint.arguments(schemas.MoveSchema)
@blueprint.response(200, schemas.ElderSchema)
@documented(blueprint, 404, 409, 422)
def move(body: dict[str, Any], elder_id: str) -> dict[str, Any]:
    """Record a move: within the district (to_community given) or out of it"""
    scoped_elder(elder_id)
    return view(
        changes.record_move(
            intake(),
            elder_id,
            body["version"],
            actor(),
            body["moved_on"],
            body["to_community"],
            body["address"],
            body["destination"],
        )
    )


@blueprint.route("/<elder_id>/card", methods=["POST"])
@requires(CLERK)
@blueprint.arguments(schemas.CardRequestSchema)
@blueprint.response(200, schemas.ElderSchema)
@documented(blueprint, 404, 409, 422)
def issue_card(body: dict[str, Any], elder_id: str) -> dict[str, Any]:
    """Issue an elder card (老年证) in the highest category the age allows, or the one named"""
    scoped_elder(elder_id)
    return view(changes.issue_card(intake(), elder_id, body["version"], actor(), body["category"]))


@blueprint.route("/<elder_id>/card/reissue", methods=["POST"])
@requires(CLERK)
@blueprint.arguments(schemas.ReissueSchema)
@blueprint.response(200, schemas.ElderSchema)
@documented(blueprint, 404, 409, 422)
def reissue_card(body: dict[str, Any], elder_id: str) -> dict[str, Any]:
    """Cancel the current card (e.g. lost) and issue a new number in its category"""
    scoped_elder(elder_id)
    return view(changes.reissue_card(intake(), elder_id, body["version"], actor(), body["reason"]))


@blueprint.route("/<elder_id>/card/upgrade", methods=["POST"])
@requires(CLERK)
@blueprint.arguments(schemas.CardRequestSchema)
@blueprint.response(200, schemas.ElderSchema)
@documented(blueprint, 404, 409, 422)
def upgrade_card(body: dict[str, Any], elder_id: str) -> dict[str, Any]:
    """Issue a card of a higher category and cancel the one held (e.g. 60+ to 70+ at 70)

    The new card is in the highest category the age allows, or the one named; the old one is
    cancelled in the same change, and both stay on the record's history. Elders due one:
    `GET /elders?card=upgrade_due`.
    """
    scoped_elder(elder_id)
    return view(
        changes.upgrade_card(intake(), elder_id, body["version"], actor(), body["category"])
    )


@blueprint.route("/<elder_id>/duplicates", methods=["POST"])
@requires(CLERK)
@blueprint.arguments(schemas.DuplicateResolutionSchema)
@blueprint.response(200, schemas.ElderSchema)
@documented(blueprint, 404, 409, 422)
def resolve_duplicate(body: dict[str, Any], elder_id: str) -> dict[str, Any]:
    """Resolve a possible duplicate: confirm distinct, or merge this record into the other"""
    scoped_elder(elder_id)
    return view(
        changes.resolve_duplicate(
            intake(),
            elder_id,
            body["version"],
            actor(),
            body["other_elder_id"],
            body["decision"],
        )
    )
