"""District administrator: the allowance programmes (allowances' /programmes): the high-age
allowance per band (高龄津贴) and when it starts, the home-care voucher (居家养老代金券), and the
schedule (when payment stops after a death or move, the report's due day). Amounts are typed
in yuan and sent in whole fen; a cycle keeps the amounts it was opened with."""

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, call
from portal.auth import kept_form, requires
from portal.forms import FormState, whole_number
from portal.money import fen, yuan

blueprint = Blueprint("programmes", __name__, url_prefix="/administration/programmes")
BANDS = ("80-89", "90-99", "100+")
BAND_FIELDS = tuple(f"band-{n}" for n in range(len(BANDS)))
STARTS = {
    "month_after": _l("From the month after the birthday"),
    "birthday_month": _l("From the month of the birthday"),
}
STOPS = {
    "month_after": _l("The month of the death or move is still paid"),
    "event_month": _l("The month of the death or move is not paid"),
}
FORMS = {  # each form's fields, the path it is sent to, and the API's names of its fields
    "high-age": ((*BAND_FIELDS, "starts"), "/programmes/high-age"),
    "vouchers": (("voucher_amount", "valid_months"), "/programmes/home-care-vouchers"),
    "schedule": (("stops", "report_due_day"), "/programmes/schedule"),
}
ALIASES = {
    **{f"amounts.{n}.amount_fen": f"band-{n}" for n in range(len(BANDS))},
    "amounts": "band-0",
    "amount_fen": "voucher_amount",
}
ALL_FIELDS = tuple(name for fields, _path in FORMS.values() for name in fields)


def values_of(programmes: dict[str, Any]) -> MultiDict[str, str]:
    amounts = {a["band"]: a["amount_fen"] for a in programmes["high_age"]["amounts"]}
    voucher = programmes["home_care_voucher"]
    return MultiDict(
        [(f"band-{n}", yuan(amounts.get(band))) for n, band in enumerate(BANDS)]
        + [
            ("starts", programmes["high_age"]["starts"]),
            ("voucher_amount", yuan(voucher["amount_fen"])),
            ("valid_months", str(voucher["valid_months"])),
            ("stops", programmes["stops"]),
            ("report_due_day", str(programmes["report_due_day"])),
        ]
    )


def body_of(which: str, form: FormState) -> dict[str, Any]:
    """The body of the PUT of `which` form, with the version read; amounts in fen."""
    version = whole_number(form["version"])
    if which == "high-age":
        amounts = [{"band": b, "amount_fen": fen(form[f"band-{n}"])} for n, b in enumerate(BANDS)]
        return {"version": version, "amounts": amounts, "starts": form["starts"]}
    if which == "vouchers":
        amount = fen(form["voucher_amount"])
        return {
            "version": version,
            "amount_fen": amount,
            "valid_months": whole_number(form["valid_months"]),
        }
    return {
        "version": version,
        "stops": form["stops"],
        "report_due_day": whole_number(form["report_due_day"]),
    }


def check_amounts(form: FormState) -> None:
    """An amount that is not yuan and fen is named here: the service would only see nothing."""
    for name in (*BAND_FIELDS, "voucher_amount"):
        if name in form.fields and fen(form[name]) is None:
            form.add_error(name, _("Enter an amount in yuan, for example 300 or 300.50."))


def page(form: FormState, programmes: dict[str, Any], status: int = 200) -> ResponseReturnValue:
    return (
        render_template(
            "programmes/index.html",
            programmes=programmes,
            form=form,
            bands=dict(zip(BAND_FIELDS, BANDS, strict=True)),
            starts=STARTS,
            stops=STOPS,
        ),
        status,
    )


@blueprint.get("")
@requires()
def index() -> ResponseReturnValue:
    programmes = call("allowances", "GET", "/programmes")
    return page(FormState(kept_form() or values_of(programmes), ALL_FIELDS), programmes)


@blueprint.post("/<which>")
@requires()
def save(which: str) -> ResponseReturnValue:
    fields, path = FORMS.get(which, ((), ""))
    if not path:
        return redirect(url_for("programmes.index"))
    form = FormState(request.form, fields, ALIASES, choices=frozenset({"starts", "stops"}))
    check_amounts(form)
    if not form.has_errors:
        try:
            call("allowances", "PUT", path, json=body_of(which, form))
        except ApiProblem as problem:
            if problem.status == 409:
                form.general.append(
                    _("Someone changed the programmes meanwhile: check them and save again.")
                )
            else:
                form.add_problem(problem)
    if form.has_errors:
        programmes = call("allowances", "GET", "/programmes")
        return page(form.among(values_of(programmes), ALL_FIELDS), programmes, 422)
    flash(_("The programmes are saved; cycles opened from now on use them."), "success")
    return redirect(url_for("programmes.index"))
