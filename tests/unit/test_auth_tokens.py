import pytest
from werkzeug.exceptions import Unauthorized

from shared.web.auth import Principal, TokenSigner, parse_tokens


def test_tokens_map_to_users_roles_and_an_optional_community():
    principals = parse_tokens(
        "abc:alice:intake_clerk+visitor, xyz:bob:district_admin,c1:chen:visitor@c01"
    )
    assert principals["abc"].user == "alice"
    assert principals["abc"].roles == {"intake_clerk", "visitor"}
    assert principals["abc"].community is None
    assert principals["xyz"].roles == {"district_admin"}
    assert principals["c1"].community == "c01"
    assert principals["c1"].may_see("c01") and not principals["c1"].may_see("c02")


def test_an_unknown_role_is_a_configuration_error():
    with pytest.raises(ValueError, match="unknown or no roles for carol"):
        parse_tokens("t:carol:superuser")


def test_no_tokens_means_nobody_is_let_in():
    assert parse_tokens("") == {}


def test_signed_tokens_round_trip_and_expire():
    who = Principal("li", frozenset({"visitor"}), "c01")
    signer = TokenSigner("secret", max_age_seconds=3600)
    assert signer.verify(signer.issue(who)) == who
    with pytest.raises(Unauthorized, match="expired"):
        TokenSigner("secret", max_age_seconds=-1).verify(signer.issue(who))
    with pytest.raises(Unauthorized, match="not valid"):
        TokenSigner("another secret", 3600).verify(signer.issue(who))
