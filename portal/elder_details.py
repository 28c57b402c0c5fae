"""An elder's details as the register's forms hold them (registering, and changing them
later): the fields in the order shown, intake's names for them, their labels, and the body
intake takes."""

from typing import Any

from flask_babel import lazy_gettext as _l

from portal.forms import FormState
from shared.vocabulary import ELDER_FLAGS as FLAGS

# The facts the field uses (婚姻状况, 有无子女, 党员, 退役军人, 离退休, 城乡): each optional, chosen
# from a list with "not asked yet" left out of the body; yes/no facts are sent as true/false.
FACTS = (
    "marital_status",
    "has_children",
    "party_member",
    "veteran",
    "cadre_retirement",
    "settlement",
)
YES_NO_FACTS = ("has_children", "party_member", "veteran")
FIELDS = (
    "national_id",
    "name",
    "birth_date",
    "sex",
    "community",
    "address",
    "phone",
    "household_type",
    "low_income",
    "disabled",
    "home_care",
    *FACTS,
    "emergency_name",
    "emergency_phone",
    "emergency_relation",
)
ALIASES = {
    "emergency_contact.name": "emergency_name",
    "emergency_contact.phone": "emergency_phone",
    "emergency_contact.relation": "emergency_relation",
    "emergency_contact": "emergency_name",
    **{f"circumstances.{n}": n for n in ("household_type", *FLAGS)},
    **{f"circumstances.{n}": n for n in FACTS},
}
CHOICES = frozenset({"sex", "community", "household_type", *FACTS})
LABELS = {
    "national_id": _l("the ID number"),
    "name": _l("the name"),
    "sex": _l("the sex"),
    "birth_date": _l("the birth date"),
    "community": _l("the community"),
    "address": _l("the address"),
    "phone": _l("the phone number"),
    "household_type": _l("the household type"),
    "emergency_name": _l("the contact's name"),
    "emergency_phone": _l("the contact's phone"),
}


def registration(form: FormState) -> dict[str, Any]:
    """The body of intake's POST /elders from what was typed; empty optional fields are left
    out, required ones are sent as typed so that intake names what is missing."""
    body: dict[str, Any] = {
        name: form[name] for name in ("national_id", "name", "sex", "birth_date", "community")
    }
    body["address"] = form["address"]
    if form["phone"]:
        body["phone"] = form["phone"]
    if form["emergency_name"] or form["emergency_phone"]:
        contact = {"name": form["emergency_name"], "phone": form["emergency_phone"]}
        if form["emergency_relation"]:
            contact["relation"] = form["emergency_relation"]
        body["emergency_contact"] = contact
    circumstances: dict[str, Any] = {flag: form.checked(flag) for flag in FLAGS}
    if form["household_type"]:
        circumstances["household_type"] = form["household_type"]
    for fact in FACTS:
        if form[fact]:
            circumstances[fact] = form[fact] == "yes" if fact in YES_NO_FACTS else form[fact]
    body["circumstances"] = circumstances
    return {k: v for k, v in body.items() if v != ""}


def fact_values(circumstances: dict[str, Any]) -> list[tuple[str, str]]:
    """The facts recorded, as the form's choices hold them."""
    values = []
    for fact in FACTS:
        value = circumstances.get(fact)
        if isinstance(value, bool):
            values.append((fact, "yes" if value else "no"))
        elif value not in (None, "unknown"):
            values.append((fact, str(value)))
    return values
