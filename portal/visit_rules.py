"""District administrator: visits' deadlines and routine visits (visits' /config): the hours
each of the eight must-visits and each urgency of help request may wait, the day routine visits
fall due by, and how often each kind of key target is visited. New obligations follow them."""

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, call
from portal.auth import kept_form, requires
from portal.forms import FormState, whole_number
from portal.words import key_target_reason, trigger, urgency, visit_frequency
from shared.vocabulary import KEY_TARGET_REASONS, TRIGGERS, URGENCIES, VISIT_FREQUENCIES

blueprint = Blueprint("visit_rules", __name__, url_prefix="/administration/visit-rules")
DEADLINE_FIELDS = (*(f"trigger-{t}" for t in TRIGGERS), *(f"urgency-{u}" for u in URGENCIES))
ROUTINE_FIELDS = ("due_day", *(f"frequency-{r}" for r in KEY_TARGET_REASONS))
DEADLINE_ALIASES = {
    **{f"triggers.{t}{end}": f"trigger-{t}" for t in TRIGGERS for end in ("", ".value", ".key")},
    **{f"help_requests.{u}{end}": f"urgency-{u}" for u in URGENCIES for end in ("", ".value")},
}
ROUTINE_ALIASES = {f"key_targets.{r}.value": f"frequency-{r}" for r in KEY_TARGET_REASONS}


def values_of(config: dict[str, Any]) -> MultiDict[str, str]:
    """The form's values from visits' configuration in force."""
    values = [(f"trigger-{t['trigger']}", str(t["hours"])) for t in config["triggers"]]
    values += [(f"urgency-{u}", str(h)) for u, h in config["help_request_hours"].items()]
    values.append(("due_day", str(config["routine"]["due_day"])))
    values += [
        (f"frequency-{k['reason']}", k["frequency"]) for k in config["routine"]["key_targets"]
    ]
    return MultiDict(values)


def deadlines(form: FormState) -> dict[str, Any]:
    return {
        "triggers": {t: whole_number(form[f"trigger-{t}"]) for t in TRIGGERS},
        "help_requests": {u: whole_number(form[f"urgency-{u}"]) for u in URGENCIES},
    }


def routine(form: FormState) -> dict[str, Any]:
    return {
        "due_day": whole_number(form["due_day"]),
        "key_targets": {r: form[f"frequency-{r}"] for r in KEY_TARGET_REASONS},
    }


def page(form: FormState, status: int = 200) -> ResponseReturnValue:
    config = call("visits", "GET", "/config")
    return (
        render_template(
            "visit_rules/index.html",
            config=config,
            form=form,
            triggers={t: (trigger(t), TRIGGERS[t].default_hours) for t in TRIGGERS},
            urgencies={u: (urgency(u), URGENCIES[u].default_response_hours) for u in URGENCIES},
            reasons={r: key_target_reason(r) for r in KEY_TARGET_REASONS},
            frequencies={w: visit_frequency(w) for w in VISIT_FREQUENCIES},
        ),
        status,
    )


@blueprint.get("")
@requires()
def index() -> ResponseReturnValue:
    kept = kept_form()
    values = kept if kept is not None else values_of(call("visits", "GET", "/config"))
    return page(FormState(values, DEADLINE_FIELDS + ROUTINE_FIELDS))


@blueprint.post("/deadlines")
@requires()
def save_deadlines() -> ResponseReturnValue:
    form = FormState(request.form, DEADLINE_FIELDS, DEADLINE_ALIASES)
    return _send(form, "/config/deadlines", deadlines(form), _("The deadlines are saved."))


@blueprint.post("/routine")
@requires()
def save_routine() -> ResponseReturnValue:
    form = FormState(request.form, ROUTINE_FIELDS, ROUTINE_ALIASES)
    return _send(form, "/config/routine", routine(form), _("The routine visits are saved."))


def _send(form: FormState, path: str, body: dict[str, Any], done: str) -> ResponseReturnValue:
    try:
        call("visits", "PUT", path, json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        in_force = values_of(call("visits", "GET", "/config"))
        return page(form.among(in_force, DEADLINE_FIELDS + ROUTINE_FIELDS), 422)
    flash(done, "success")
    return redirect(url_for("visit_rules.index"))
