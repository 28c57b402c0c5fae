import hashlib

import pytest
from itsdangerous import URLSafeTimedSerializer
from werkzeug.exceptions import Unauthorized

from ops.config import ConsoleSettings
from shared.config import ConfigurationError, Settings
from shared.roles import ROLES
from shared.web.auth import Principal, TokenSigner, parse_tokens, read_token_spec

KEY = "k" * 32
OLD_KEY = "o" * 32


HOSPITAL, CONSOLE, NEIGHBOUR = "h" * 32, "o" * 40, "n" * 32


def test_tokens_map_to_users_roles_and_an_optional_community():
    principals = parse_tokens(
        f"{HOSPITAL}:hospital:integration, {CONSOLE}:wang:operator,"
        f"{NEIGHBOUR}:neighbour:integration+operator@c01"
    )
    assert principals[HOSPITAL].user == "hospital"
    assert principals[HOSPITAL].roles == {"integration"}
    assert principals[HOSPITAL].community is None
    assert principals[CONSOLE].roles == {"operator"}
    assert principals[NEIGHBOUR].roles == {"integration", "operator"}
    assert principals[NEIGHBOUR].community == "c01"
    assert principals[NEIGHBOUR].may_see("c01") and not principals[NEIGHBOUR].may_see("c02")


def test_an_unknown_role_is_a_configuration_error():
    with pytest.raises(ValueError, match="unknown or no roles for carol"):
        read_token_spec("t:carol:superuser")


def test_a_fixed_token_shorter_than_32_characters_stops_the_start():
    short = "s" * 31
    with pytest.raises(ConfigurationError, match="ELDERCARE_TOKENS: the token of hospital is"):
        parse_tokens(f"{short}:hospital:integration")
    with pytest.raises(ConfigurationError, match="shorter than 32 characters"):
        Settings.from_env("visits", {"ELDERCARE_TOKENS": f"{short}:hospital:integration"})
    with pytest.raises(ConfigurationError, match="ELDERCARE_TOKENS"):
        ConsoleSettings(kafka_bootstrap="127.0.0.1:9", tokens=f"{short}:wang:operator")


@pytest.mark.parametrize("role", sorted(set(ROLES) - {"integration", "operator"}))
def test_a_fixed_token_with_a_staff_role_stops_the_start(role):
    spec = f"{HOSPITAL}:li:{role}"
    with pytest.raises(ConfigurationError, match=f"ELDERCARE_TOKENS: the token of li holds {role}"):
        parse_tokens(spec)
    with pytest.raises(ConfigurationError, match="staff sign in"):
        Settings.from_env("intake", {"ELDERCARE_TOKENS": f"{CONSOLE}:wang:operator+{role}"})
    with pytest.raises(ConfigurationError, match="ELDERCARE_TOKENS"):
        ConsoleSettings(kafka_bootstrap="127.0.0.1:9", tokens=spec)


def test_fixed_tokens_of_machines_start():
    spec = f"{HOSPITAL}:hospital:integration,{CONSOLE}:wang:operator"
    assert Settings.from_env("allowances", {"ELDERCARE_TOKENS": spec}).tokens == spec
    assert ConsoleSettings(kafka_bootstrap="127.0.0.1:9", tokens=spec).tokens == spec


def test_no_tokens_means_nobody_is_let_in():
    assert parse_tokens("") == {}


def test_signed_tokens_round_trip_with_the_token_version_and_expire():
    who = Principal("li", frozenset({"visitor"}), "c01", token_version=3)
    signer = TokenSigner(KEY, max_age_seconds=3600)
    assert signer.verify(signer.issue(who)) == who
    with pytest.raises(Unauthorized, match="expired"):
        TokenSigner(KEY, max_age_seconds=-1).verify(signer.issue(who))
    with pytest.raises(Unauthorized, match="not valid"):
        TokenSigner("another key that is long enough!", 3600).verify(signer.issue(who))


def test_tokens_are_signed_with_hmac_sha256_not_itsdangerous_default_sha1():
    claims = {"u": "li", "r": ["visitor"], "c": None, "v": 1}

    def signed_with(digest):
        serializer = URLSafeTimedSerializer(
            KEY, salt="eldercare-bearer", signer_kwargs={"digest_method": digest}
        )
        return serializer.dumps(claims)

    signer = TokenSigner(KEY, 3600)
    assert signer.verify(signed_with(hashlib.sha256)).user == "li"
    with pytest.raises(Unauthorized):
        signer.verify(signed_with(hashlib.sha1))


def test_a_rotated_key_still_verifies_the_tokens_it_signed_and_the_new_key_signs():
    who = Principal("li", frozenset({"visitor"}), token_version=1)
    before = TokenSigner(OLD_KEY, 3600).issue(who)
    rotated = TokenSigner(KEY, 3600, previous=[OLD_KEY])
    assert rotated.verify(before) == who
    with pytest.raises(Unauthorized):
        TokenSigner(KEY, 3600).verify(before)  # once the old key is dropped
    assert TokenSigner(KEY, 3600).verify(rotated.issue(who)) == who


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"ELDERCARE_SECRET_KEY": "s3cret-for-tests"}, "ELDERCARE_SECRET_KEY"),
        (
            {"ELDERCARE_SECRET_KEY": KEY, "ELDERCARE_PREVIOUS_SECRET_KEYS": f"{OLD_KEY},short"},
            "ELDERCARE_PREVIOUS_SECRET_KEYS",
        ),
        ({"ELDERCARE_PREVIOUS_SECRET_KEYS": OLD_KEY}, "ELDERCARE_SECRET_KEY"),
    ],
)
def test_a_short_signing_key_is_refused_at_start_up_saying_how_to_make_one(env, named):
    with pytest.raises(ConfigurationError, match=named) as refused:
        Settings.from_env("intake", env)
    if "short" in str(env) or "s3cret" in str(env):
        assert "secrets.token_urlsafe(32)" in str(refused.value)


def test_a_token_lifetime_over_twelve_hours_is_refused():
    env = {"ELDERCARE_SECRET_KEY": KEY}
    assert Settings.from_env("intake", {**env, "ELDERCARE_TOKEN_TTL_SECONDS": "43200"})
    with pytest.raises(ConfigurationError, match="ELDERCARE_TOKEN_TTL_SECONDS"):
        Settings.from_env("intake", {**env, "ELDERCARE_TOKEN_TTL_SECONDS": "43201"})


def test_rotation_keys_are_read_from_the_environment():
    settings = Settings.from_env(
        "visits", {"ELDERCARE_SECRET_KEY": KEY, "ELDERCARE_PREVIOUS_SECRET_KEYS": f" {OLD_KEY} ,"}
    )
    assert settings.previous_secret_keys == (OLD_KEY,)


def test_the_signer_refuses_a_short_key_too():
    with pytest.raises(ConfigurationError, match="32 bytes"):
        TokenSigner("secret", 3600)
