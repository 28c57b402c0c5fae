"""Signing in, and the district administrator's management of staff accounts."""

from typing import Any

from flask import Response, request
from marshmallow import Schema, fields, validate

from services.intake.entrypoints.api import intake
from services.intake.service_layer.users import (
    SignInRefused,
    SignInThrottled,
    change_user,
    create_user,
    reset_password,
    sign_in,
    sign_out,
)
from shared.documents import plain
from shared.roles import ROLES
from shared.web.access_log import logs_access, note_access
from shared.web.auth import principal, require_community, requires
from shared.web.blueprint import Blueprint
from shared.web.problems import problem
from shared.web.reminders import MOBILE_NUMBER

blueprint = Blueprint("auth", __name__, description="Staff accounts and sign-in")


class SignInSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=100))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=200))


class TokenSchema(Schema):
    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer(metadata={"description": "Seconds"})
    user = fields.String(metadata={"description": "Who signed in"})
    roles = fields.List(fields.String(), metadata={"description": "What they may do"})
    community = fields.String(
        allow_none=True, metadata={"description": "The community they are bound to, if any"}
    )


class NewUserSchema(Schema):
    username = fields.String(required=True, validate=validate.Regexp(r"^[\w.@-]{2,64}$"))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=200))
    roles = fields.List(
        fields.String(validate=validate.OneOf(ROLES)),
        required=True,
        validate=validate.Length(min=1),
    )
    community = fields.String(
        load_default=None, metadata={"description": "Bind the user to one community"}
    )
    mobile = fields.String(
        load_default=None,
        allow_none=True,
        validate=MOBILE_NUMBER,
        metadata={"description": "Where the reminders of the user's work go by SMS"},
    )


class UserChangeSchema(Schema):
    roles = fields.List(
        fields.String(validate=validate.OneOf(ROLES)), validate=validate.Length(min=1)
    )
    community = fields.String(
        allow_none=True, metadata={"description": "The community to bind to; null: none"}
    )
    active = fields.Boolean(metadata={"description": "false: the account can no longer sign in"})
    mobile = fields.String(
        allow_none=True,
        validate=MOBILE_NUMBER,
        metadata={"description": "The mobile number for SMS reminders; null: none"},
    )


class PasswordResetSchema(Schema):
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=200))


class UserSchema(Schema):
    username = fields.String()
    roles = fields.List(fields.String())
    community = fields.String(allow_none=True)
    active = fields.Boolean()
    mobile = fields.String(allow_none=True)


@blueprint.route("/auth/token", methods=["POST"])
@blueprint.arguments(SignInSchema)
@blueprint.response(200, TokenSchema)
@blueprint.alt_response(401, description="Wrong username or password")
@blueprint.alt_response(
    429, description="Too many failed sign-ins for this user or address; see Retry-After"
)
def token(body: dict[str, Any]) -> Any:
    """Sign in: a signed bearer token that every service accepts until it expires, or until
    the user signs out or their account changes"""
    note_access("sign_in", body["username"], user=body["username"], roles=())
    try:
        access_token, expires_in, user = sign_in(
            intake(), body["username"], body["password"], request.remote_addr or "unknown"
        )
    except SignInRefused:
        return problem(401, "Unauthorized", "Wrong username or password.")
    except SignInThrottled as paused:
        return _paused(paused.retry_after)
    note_access("sign_in", user.username, user=user.username, roles=tuple(user.roles))
    return {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": expires_in,
        "user": user.username,
        "roles": list(user.roles),
        "community": user.community,
    }


def _paused(retry_after: int) -> Response:
    minutes = -(-retry_after // 60)
    answer = problem(
        429,
        "Too Many Requests",
        f"Too many failed sign-ins for this user or from this address; try again in "
        f"{minutes} minute(s), or ask the district administrator to reset the password.",
    )
    answer.headers["Retry-After"] = str(retry_after)
    return answer


class SessionSchema(Schema):
    user = fields.String()
    roles = fields.List(fields.String())
    community = fields.String(allow_none=True)


@blueprint.route("/auth/session")
@requires(*ROLES)
@blueprint.response(200, SessionSchema)
def session() -> dict[str, Any]:
    """Who the bearer token names, while it is still good (not expired, revoked or of a
    disabled account): the operator console checks staff tokens with it"""
    who = principal()
    return {"user": who.user, "roles": sorted(who.roles), "community": who.community}


@blueprint.route("/auth/sign-out", methods=["POST"])
@requires(*ROLES)
@blueprint.response(204)
@blueprint.alt_response(422, description="A configured (fixed) token cannot sign out")
def sign_out_everywhere() -> None:
    """Sign out: every token of the signed-in user is refused from now on, in every service
    within a minute"""
    sign_out(intake(), principal())


@blueprint.route("/users", methods=["POST"])
@requires()  # the district administrator only
@blueprint.arguments(NewUserSchema)
@blueprint.response(201, UserSchema)
@blueprint.alt_response(409, description="The username is taken")
def add_user(body: dict[str, Any]) -> dict[str, Any]:
    """Create a staff account"""
    note_access("user_management", body["username"])
    return plain(create_user(intake(), **body))


@blueprint.route("/users")
@requires()
@blueprint.response(200, UserSchema(many=True))
def list_users() -> list[dict[str, Any]]:
    """Every staff account"""
    return [plain(user) for user in intake().users.all()]


@blueprint.route("/communities/<community>/staff")
@requires("community_head")
@blueprint.response(200, UserSchema(many=True))
def community_staff(community: str) -> list[dict[str, Any]]:
    """The active staff accounts bound to a community, for its head to give work to"""
    require_community(community)
    staff = [u for u in intake().users.all() if u.community == community and u.active]
    return [plain(user) for user in sorted(staff, key=lambda u: u.username)]


@blueprint.route("/users/<username>", methods=["PATCH"])
@requires()  # the district administrator only
@logs_access("user_management", "username")
@blueprint.arguments(UserChangeSchema)
@blueprint.response(200, UserSchema)
@blueprint.alt_response(404, description="No such user")
@blueprint.alt_response(422, description="Unknown roles or community")
def patch_user(body: dict[str, Any], username: str) -> dict[str, Any]:
    """Change a staff account's roles, community or standing (what is not named is kept);
    a disabled account can no longer sign in; a changed account's tokens are refused"""
    return plain(change_user(intake(), username, **body))


@blueprint.route("/users/<username>/password", methods=["POST"])
@requires()  # the district administrator only
@logs_access("user_management", "username")
@blueprint.arguments(PasswordResetSchema)
@blueprint.response(200, UserSchema)
@blueprint.alt_response(404, description="No such user")
@blueprint.alt_response(422, description="Too short, or a common password")
def password_reset(body: dict[str, Any], username: str) -> dict[str, Any]:
    """Set a new password for a staff account; its tokens are refused from now on"""
    return plain(reset_password(intake(), username, body["password"]))
