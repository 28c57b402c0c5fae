"""The changes staff make to an elder's record, each sent to one of intake's doors: what the
form holds, which errors stand beside which field, when the change makes sense for the elder's
state, and the body intake takes. No request or page here: `portal.elder_actions` shows and
sends them."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.elder_details import ALIASES as DETAIL_ALIASES
from portal.elder_details import CHOICES as DETAIL_CHOICES
from portal.elder_details import FIELDS as REGISTRATION_FIELDS
from portal.elder_details import FLAGS, fact_values, registration
from portal.elder_details import LABELS as DETAIL_LABELS
from portal.forms import FormState, whole_number

CLERK, ADMIN = "intake_clerk", "district_admin"
Elder = Mapping[str, Any]
Body = dict[str, Any]


@dataclass(frozen=True)
class Change:
    name: str  # the page's address under the elder's: /elders/<id>/<name>
    path: str  # intake's door under /elders/<id>
    title: object  # a lazy translation
    done: object
    fields: tuple[str, ...]
    body: Callable[[FormState, Elder], Body]
    when: Callable[[Elder], bool]
    role: str = CLERK
    method: str = "POST"
    labels: Mapping[str, object] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)
    choices: frozenset[str] = frozenset()
    template: str = ""
    check: Callable[[FormState], None] = lambda form: None  # what intake cannot tell
    compared: str = ""  # the field naming another elder's record, shown beside this one

    @property
    def page(self) -> str:
        return self.template or f"elders/{self.name.replace('-', '_')}.html"

    def form(self, values: Any) -> FormState:
        return FormState(values, self.fields, self.aliases, self.labels, self.choices)


def active(elder: Elder) -> bool:
    return elder.get("status") == "active"


def pending_correction(elder: Elder) -> dict[str, Any] | None:
    return next(
        (c for c in elder.get("identity_corrections") or () if c.get("status") == "pending"), None
    )


def typed(form: FormState, *names: str) -> Body:
    """The fields typed, by name; empty ones left out so that intake names what is missing."""
    return {name: form[name] for name in names if form[name]}


def illnesses_of(typed: str) -> list[str]:
    """The chronic illnesses as typed, one a line or separated by commas (、，,)."""
    return [i.strip() for i in re.split(r"[\n、，,;；]", typed) if i.strip()]


def assessment_body(form: FormState, elder: Elder) -> Body:
    """The score as a whole number (or as typed, for intake to name what is wrong)."""
    body = typed(form, "scale", "assessed_on", "valid_until", "assessor")
    if form["score"]:
        body["score"] = whole_number(form["score"])
    body["chronic_illnesses"] = illnesses_of(form["chronic_illnesses"])
    return body


def move_body(form: FormState, elder: Elder) -> Body:
    """Within the district the new community is named; out of it, the destination."""
    if form["kind"] == "out":
        return typed(form, "moved_on", "destination")
    return typed(form, "moved_on", "to_community", "address")


def move_problems(form: FormState) -> None:
    """Without a community, intake would read a move within the district as one out of it."""
    if form["kind"] not in ("within", "out"):
        form.add_error("kind", _("Choose where the elder moved."))
    elif form["kind"] == "within" and not form["to_community"]:
        form.add_error("to_community", _("Choose the community the elder moved to."))


def details_body(form: FormState, elder: Elder) -> Body:
    """The details as edited; a phone number taken away is sent as none."""
    sent = registration(form)
    body: Body = {k: sent[k] for k in ("name", "address", "emergency_contact") if k in sent}
    body["circumstances"] = sent["circumstances"]
    body["phone"] = form["phone"] or None
    return body


def details_values(elder: Elder) -> list[tuple[str, str]]:
    """The details form filled in from the record."""
    contact = elder.get("emergency_contact") or {}
    circumstances = elder.get("circumstances") or {}
    values = [
        ("name", elder.get("name") or ""),
        ("address", elder.get("address") or ""),
        ("phone", elder.get("phone") or ""),
        ("household_type", circumstances.get("household_type") or ""),
        ("emergency_name", contact.get("name", "")),
        ("emergency_phone", contact.get("phone", "")),
        ("emergency_relation", contact.get("relation", "")),
    ]
    flags = [(flag, "on") for flag in FLAGS if circumstances.get(flag)]
    return values + flags + fact_values(circumstances)


DETAIL_FIELDS = tuple(
    f for f in REGISTRATION_FIELDS if f not in ("national_id", "birth_date", "sex", "community")
)
DATE_LABELS = {
    "died_on": _l("the date of death"),
    "moved_on": _l("the date of the move"),
    "returned_on": _l("the date of the return"),
}

CHANGES = (
    Change(
        "details",
        "",
        _l("Change details and circumstances"),
        _l("The details are changed."),
        DETAIL_FIELDS,
        details_body,
        active,
        method="PATCH",
        labels=DETAIL_LABELS,
        aliases=DETAIL_ALIASES,
        choices=DETAIL_CHOICES,
    ),
    Change(
        "assessment",
        "/assessments",
        _l("Record an assessment"),
        _l("The assessment is recorded."),
        ("scale", "score", "assessed_on", "valid_until", "assessor", "chronic_illnesses"),
        assessment_body,
        active,
        labels={
            "scale": _l("the scale"),
            "score": _l("the score"),
            "assessed_on": _l("the date of the assessment"),
            "valid_until": _l("the date it is valid until"),
            "assessor": _l("who assessed the elder"),
        },
        choices=frozenset({"scale"}),
    ),
    Change(
        "move",
        "/moves",
        _l("Record a move"),
        _l("The move is recorded."),
        ("kind", "moved_on", "to_community", "address", "destination"),
        move_body,
        active,
        labels={**DATE_LABELS, "kind": _l("where the elder moved"), "address": _l("the address")},
        aliases={"community": "to_community"},
        choices=frozenset({"kind", "to_community"}),
        check=move_problems,
    ),
    Change(
        "return",
        "/return",
        _l("Record a return to the district"),
        _l("The return is recorded: the elder is in the register again."),
        ("returned_on", "community", "address"),
        lambda form, elder: typed(form, "returned_on", "community", "address"),
        lambda elder: elder.get("status") == "moved_out",
        labels={**DATE_LABELS, "community": _l("the community")},
        choices=frozenset({"community"}),
    ),
    Change(
        "card",
        "/card",
        _l("Issue an elder card"),
        _l("The elder card is issued."),
        ("category",),
        lambda form, elder: {"category": form["category"] or None},
        lambda elder: active(elder) and not elder.get("card"),
    ),
    Change(
        "card-reissue",
        "/card/reissue",
        _l("Reissue the elder card"),
        _l("The elder card is reissued with a new number."),
        ("reason",),
        lambda form, elder: typed(form, "reason"),
        lambda elder: active(elder) and bool(elder.get("card")),
        labels={"reason": _l("why the card is reissued")},
    ),
    Change(
        "card-upgrade",
        "/card/upgrade",
        _l("Upgrade the elder card"),
        _l("The elder card is upgraded."),
        ("category",),
        lambda form, elder: {"category": form["category"] or None},
        lambda elder: active(elder) and bool(elder.get("card_upgrade_due")),
    ),
    Change(
        "priority-card",
        "/priority-card",
        _l("Issue a priority service card"),
        _l("The priority service card is issued."),
        (),
        lambda form, elder: {},
        lambda elder: active(elder) and not elder.get("priority_card"),
    ),
    Change(
        "priority-card-reissue",
        "/priority-card/reissue",
        _l("Reissue the priority service card"),
        _l("The priority service card is reissued with a new number."),
        ("reason",),
        lambda form, elder: typed(form, "reason"),
        lambda elder: active(elder) and bool(elder.get("priority_card")),
        labels={"reason": _l("why the card is reissued")},
    ),
    Change(
        "priority-card-cancellation",
        "/priority-card/cancellation",
        _l("Cancel the priority service card"),
        _l("The priority service card is cancelled."),
        ("reason",),
        lambda form, elder: typed(form, "reason"),
        lambda elder: active(elder) and bool(elder.get("priority_card")),
        labels={"reason": _l("why the card is cancelled")},
    ),
    Change(
        "identity-correction",
        "/identity-corrections",
        _l("Ask for an identity correction"),
        _l("The correction is asked for: another administrator approves or rejects it."),
        ("national_id", "birth_date", "sex", "reason"),
        lambda form, elder: typed(form, "national_id", "birth_date", "sex", "reason"),
        lambda elder: elder.get("status") != "merged" and pending_correction(elder) is None,
        labels={"reason": _l("why the correction is needed")},
        choices=frozenset({"sex"}),
    ),
    Change(
        "identity-approval",
        "/identity-corrections/approval",
        _l("Decide the identity correction"),
        _l("The identity correction is approved: the record is corrected."),
        (),
        lambda form, elder: {},
        lambda elder: pending_correction(elder) is not None,
        role=ADMIN,
        template="elders/identity_decision.html",
    ),
    Change(
        "identity-rejection",
        "/identity-corrections/rejection",
        _l("Decide the identity correction"),
        _l("The identity correction is rejected; the record is unchanged."),
        ("note",),
        lambda form, elder: typed(form, "note"),
        lambda elder: pending_correction(elder) is not None,
        role=ADMIN,
        template="elders/identity_decision.html",
    ),
    Change(
        "death",
        "/death",
        _l("Record a death"),
        _l("The death is recorded."),
        ("died_on", "reported_by"),
        lambda form, elder: typed(form, "died_on", "reported_by"),
        active,
        labels={**DATE_LABELS, "reported_by": _l("who reported it")},
    ),
    Change(
        "duplicate",
        "/duplicates",
        _l("Resolve a possible duplicate"),
        _l("The possible duplicate is resolved."),
        ("other_elder_id", "decision"),
        lambda form, elder: typed(form, "other_elder_id", "decision"),
        lambda elder: bool(elder.get("possible_duplicates")),
        labels={"decision": _l("whether they are the same person")},
        choices=frozenset({"decision"}),
        compared="other_elder_id",
    ),
    Change(
        "death-revocation",
        "/death/revocation",
        _l("Revoke a death recorded in error"),
        _l("The death is revoked: the elder is in the register again."),
        ("reason",),
        lambda form, elder: typed(form, "reason"),
        lambda elder: elder.get("status") == "deceased",
        role=ADMIN,
        labels={"reason": _l("why the death was recorded in error")},
    ),
)
BY_NAME = {change.name: change for change in CHANGES}
SHOWN_ON_THE_PAGE = tuple(c for c in CHANGES if c.name != "identity-rejection")


def offered(elder: Elder, roles: frozenset[str]) -> list[Change]:
    """The changes that make sense for the elder's state and that the roles may make; one that
    compares records is offered beside each record it compares."""
    return [c for c in SHOWN_ON_THE_PAGE if (c.role in roles or ADMIN in roles) and c.when(elder)]
