"""Intake's HTTP doors for households (户): read them, correct their members, residents and
type, and place every elder not yet in one."""

from typing import Any

from services.intake.domain.household import Household
from services.intake.entrypoints import household_schemas as schemas
from services.intake.entrypoints.api import (
    CLERK,
    READERS,
    intake,
    scoped_elder,
    shown_to_reader,
)
from services.intake.entrypoints.grid_api import scoped_cell
from services.intake.service_layer import households
from shared.clock import local_today
from shared.documents import plain
from shared.errors import NotFound
from shared.web.auth import actor, requires, scoped, visible
from shared.web.blueprint import Blueprint
from shared.web.pagination import page, page_schema, paged
from shared.web.problems import documented

blueprint = Blueprint(
    "households",
    __name__,
    url_prefix="/households",
    description="Households (户): the elders and other residents of one home, and its type",
)
of_elders = Blueprint(
    "elder_households", __name__, url_prefix="/elders", description="The household of an elder"
)


def shown(household: Household) -> dict[str, Any]:
    return {
        **plain(household),
        "type_source": household.type_source,
        "persons": household.persons,
    }


def scoped_household(household_id: str) -> Household:
    household = intake().households.require(household_id)
    visible(household.community, f"household with id {household_id!r}")
    return household


def page_of(household: Household) -> dict[str, Any]:
    """The household with its elders, as its page shows them to the caller."""
    today = local_today(intake().clock, intake().settings.zone)
    elders = intake().elders.by_ids(list(household.members))
    return shown_to_reader(
        {
            **shown(household),
            "elders": [
                {
                    "elder_id": e.elder_id,
                    "name": e.name,
                    "sex": e.sex,
                    "age": e.age(today),
                    "marital_status": e.circumstances.marital_status,
                    "key_target_reasons": list(e.key_target_reasons),
                }
                for e in elders
            ],
        }
    )


@blueprint.route("")
@requires(*READERS)
@blueprint.arguments(schemas.HouseholdListArgs, location="query")
@blueprint.response(200, page_schema(schemas.HouseholdSchema))
def list_households(args: dict[str, Any]) -> dict[str, Any]:
    """List the active households, by community, type, or how the type was decided"""
    scoped(args)
    query = households.list_query(args)
    found, total = intake().households.find(query, [("_id", 1)], *paged(args))
    return page(args, [shown(h) for h in found], total)


@blueprint.route("", methods=["POST"])
@requires(CLERK)
@blueprint.arguments(schemas.OwnHouseholdSchema)
@blueprint.response(201, schemas.HouseholdWithEldersSchema)
@documented(blueprint, 404, 422)
def own_household(body: dict[str, Any]) -> dict[str, Any]:
    """A household of their own for an elder the grouping put with others wrongly

    The elder leaves the household they were in, which is worked out again from those who
    remain.
    """
    scoped_elder(body["elder_id"])
    return page_of(households.move_member(intake(), None, body["elder_id"], actor()))


@blueprint.route("/<household_id>")
@requires(*READERS)
@blueprint.response(200, schemas.HouseholdWithEldersSchema)
@documented(blueprint, 404)
def get_household(household_id: str) -> dict[str, Any]:
    """A household: its elders and other residents, its type and why, and who has left"""
    return page_of(scoped_household(household_id))


@of_elders.route("/<elder_id>/household")
@requires(*READERS)
@of_elders.response(200, schemas.HouseholdWithEldersSchema)
@documented(of_elders, 404)
def household_of(elder_id: str) -> dict[str, Any]:
    """The household an elder lives in (404 while they are in none)"""
    scoped_elder(elder_id)
    household = households.household_of(intake(), elder_id)
    if household is None:
        raise NotFound(f"the elder {elder_id!r} is in no household yet", elder_id=elder_id)
    return page_of(household)


@blueprint.route("/<household_id>/members", methods=["POST"])
@requires(CLERK)
@blueprint.arguments(schemas.MemberJoinSchema)
@blueprint.response(200, schemas.HouseholdWithEldersSchema)
@documented(blueprint, 404, 409, 422)
def add_member(body: dict[str, Any], household_id: str) -> dict[str, Any]:
    """Move an elder into this household (of the same community): a clerk's correction

    The household the elder was in is worked out again from those who remain.
    """
    scoped_household(household_id)
    scoped_elder(body["elder_id"])
    return page_of(households.move_member(intake(), household_id, body["elder_id"], actor()))


@blueprint.route("/<household_id>/type", methods=["PUT"])
@requires(CLERK)
@blueprint.arguments(schemas.TypeByHandSchema)
@blueprint.response(200, schemas.HouseholdWithEldersSchema)
@documented(blueprint, 404, 409, 422)
def set_type(body: dict[str, Any], household_id: str) -> dict[str, Any]:
    """Set the household's type by hand, with the reason the rules' type does not hold

    It is shown as set by hand, and holds until the members change or it is given back to
    the rules. The elders' own household type follows.
    """
    scoped_household(household_id)
    changed = households.set_type(
        intake(), household_id, body["version"], body["household_type"], body["reason"], actor()
    )
    return page_of(changed)


@blueprint.route("/<household_id>/type/by-rules", methods=["POST"])
@requires(CLERK)
@blueprint.arguments(schemas.Versioned)
@blueprint.response(200, schemas.HouseholdWithEldersSchema)
@documented(blueprint, 404, 409, 422)
def type_by_rules(body: dict[str, Any], household_id: str) -> dict[str, Any]:
    """Give the type back to the rules: worked out from the members again"""
    scoped_household(household_id)
    return page_of(households.clear_type(intake(), household_id, body["version"]))


@blueprint.route("/<household_id>/home-care", methods=["PUT"])
@requires(CLERK)
@blueprint.arguments(schemas.HomeCareEnrolmentSchema)
@blueprint.response(200, schemas.HouseholdWithEldersSchema)
@documented(blueprint, 404, 409, 422)
def enrol_home_care(body: dict[str, Any], household_id: str) -> dict[str, Any]:
    """Enrol the household in home care (居家养老户)

    Every elder living there has the home-care service and its monthly vouchers, one per
    person; an elder who joins later takes it too.
    """
    scoped_household(household_id)
    since = body["since"] or local_today(intake().clock, intake().settings.zone)
    changed = households.set_home_care(
        intake(), household_id, body["version"], True, since, actor()
    )
    return page_of(changed)


@blueprint.route("/<household_id>/home-care/end", methods=["POST"])
@requires(CLERK)
@blueprint.arguments(schemas.HomeCareEndSchema)
@blueprint.response(200, schemas.HouseholdWithEldersSchema)
@documented(blueprint, 404, 409, 422)
def end_home_care(body: dict[str, Any], household_id: str) -> dict[str, Any]:
    """End the household's home care: its elders' vouchers stop from the next cycle"""
    scoped_household(household_id)
    on = body["on"] or local_today(intake().clock, intake().settings.zone)
    changed = households.set_home_care(intake(), household_id, body["version"], False, on, actor())
    return page_of(changed)


@blueprint.route("/<household_id>/cell", methods=["PUT"])
@requires(CLERK, "community_head")
@blueprint.arguments(schemas.PlacementSchema)
@blueprint.response(200, schemas.HouseholdWithEldersSchema)
@documented(blueprint, 404, 409, 422)
def place_in_grid(body: dict[str, Any], household_id: str) -> dict[str, Any]:
    """Place the household in a building (楼栋) or courtyard (院落) of its community, or in none"""
    scoped_household(household_id)
    if body["cell_id"]:
        scoped_cell(body["cell_id"])
    changed = households.place_in_grid(intake(), household_id, body["version"], body["cell_id"])
    return page_of(changed)


@blueprint.route("/<household_id>/residents", methods=["PUT"])
@requires(CLERK)
@blueprint.arguments(schemas.ResidentsSchema)
@blueprint.response(200, schemas.HouseholdWithEldersSchema)
@documented(blueprint, 404, 409, 422)
def set_residents(body: dict[str, Any], household_id: str) -> dict[str, Any]:
    """The residents who are not in the register, as found at the door; the type follows"""
    scoped_household(household_id)
    changed = households.set_residents(intake(), household_id, body["version"], body["residents"])
    return page_of(changed)
