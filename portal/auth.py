"""Signing in and out, and who may open which page.

The session (a signed cookie) holds the bearer token intake issued, who it names and when it
expires; nothing else is kept about the user. When the token has expired, or a service refuses
it, the user is sent to sign in, and what they had typed into a form is kept in the session
until they are back on that form.
"""

import time
from collections.abc import Callable
from contextlib import suppress
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, ServiceUnavailable, SignInNeeded, call
from portal.forms import FormState

blueprint = Blueprint("auth", __name__)

SESSION_KEYS = ("token", "user", "roles", "community", "expires_at")
EXPIRY_MARGIN_SECONDS = 30  # sign in again a little early rather than lose a form to a 401


def signed_in() -> bool:
    return bool(session.get("token")) and time.time() < session.get("expires_at", 0)


def roles() -> frozenset[str]:
    return frozenset(session.get("roles", ()))


def requires(*allowed: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The page is for signed-in users holding one of `allowed` (or the administrator)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            if not signed_in():
                if request.headers.get("HX-Request"):
                    return "", 204  # an inline check changes nothing; sending the form asks
                return send_to_sign_in()
            if allowed and not roles() & {*allowed, "district_admin"}:
                return forbidden()
            return view(*args, **kwargs)

        return guarded

    return decorate


def forbidden() -> ResponseReturnValue:
    """The page says it is not for this user."""
    return render_template("errors/forbidden.html"), 403


def send_to_sign_in() -> ResponseReturnValue:
    """To the sign-in page, and back here afterwards; a form being sent is kept."""
    expired = bool(session.get("token"))
    for key in SESSION_KEYS:
        session.pop(key, None)
    if request.method == "POST":
        secret = ("csrf_token", "password")  # a password never goes into the cookie
        form = [(k, v) for k, v in request.form.items(multi=True) if k not in secret]
        session["kept"] = {"path": request.path, "form": form}
    if expired:
        flash(_("Your sign-in has expired. Sign in again to carry on."), "info")
    back = request.full_path if request.method == "GET" else request.path
    return redirect(url_for("auth.sign_in", next=back.rstrip("?")))


def kept_form() -> MultiDict[str, str] | None:
    """What the user had typed into this page's form before signing in again, once."""
    kept = session.get("kept")
    if not kept or kept.get("path") != request.path:
        return None
    session.pop("kept")
    flash(_("What you had typed is kept. Check it and send it again."), "info")
    return MultiDict(kept["form"])


def safe_next(target: str | None) -> str:
    """Only a path of this site, never another host."""
    if not target:
        return url_for("home.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("home.index")
    return target


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    target = safe_next(request.values.get("next"))
    values = request.form if request.method == "POST" else MultiDict()
    form = FormState(
        values,
        fields=("username", "password"),
        labels={"username": _l("your username"), "password": _l("your password")},
    )
    if request.method == "POST":
        try:
            answer = call(
                "intake",
                "POST",
                "/auth/token",
                token="",
                json={"username": form["username"], "password": request.form.get("password", "")},
            )
        except ApiProblem as problem:
            if problem.status == 401:
                form.add_error("password", _("The username or password is wrong."))
            else:
                form.add_problem(problem)
        else:
            carried = {k: session[k] for k in ("kept", "language") if k in session}
            session.clear()
            session.update(carried)
            lifetime = int(answer["expires_in"])
            session.update(
                token=answer["access_token"],
                user=answer.get("user", form["username"]),
                roles=answer.get("roles", []),
                community=answer.get("community"),
                expires_at=time.time() + lifetime - min(EXPIRY_MARGIN_SECONDS, lifetime // 10),
            )
            return redirect(target)
    return render_template("sign_in.html", form=form, next=target)


@blueprint.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    """The user's tokens are revoked in every service, then the session ends; it ends even
    when intake cannot be told (the token then lasts until it expires)."""
    if session.get("token"):
        # already refused, or intake unreachable: the session ends all the same
        with suppress(ApiProblem, SignInNeeded, ServiceUnavailable):
            call("intake", "POST", "/auth/sign-out")
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.sign_in"))
