"""District administrator: the service contacts every form prints at its foot (intake's
/district/service-contacts): the service hotline and the title of the service guide handbook.
Intake announces them; visits and allowances print what they heard."""

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, call
from portal.auth import kept_form, requires
from portal.forms import FormState, whole_number

blueprint = Blueprint("service_contacts", __name__, url_prefix="/administration/service-contacts")
FIELDS = ("hotline", "service_guide")
LABELS = {"hotline": _l("the service hotline"), "service_guide": _l("the service guide's title")}
PATH = "/district/service-contacts"


def page(form: FormState, held: dict[str, Any], status: int = 200) -> ResponseReturnValue:
    return render_template("service_contacts/index.html", form=form, held=held), status


@blueprint.get("")
@requires()
def index() -> ResponseReturnValue:
    held = call("intake", "GET", PATH)
    kept = kept_form()
    values = kept if kept is not None else MultiDict({name: held[name] for name in FIELDS})
    return page(FormState(values, FIELDS, labels=LABELS), held)


@blueprint.post("")
@requires()
def save() -> ResponseReturnValue:
    form = FormState(request.form, FIELDS, labels=LABELS)
    body = {"version": whole_number(form["version"]), **{name: form[name] for name in FIELDS}}
    try:
        call("intake", "PUT", PATH, json=body)
    except ApiProblem as problem:
        form.add_problem(problem)
        return page(form, call("intake", "GET", PATH), 422)
    flash(_("Saved: every form prints the hotline and the service guide as set."), "success")
    return redirect(url_for("service_contacts.index"))
