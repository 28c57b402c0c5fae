import pytest

from shared.web.auth import parse_tokens


def test_tokens_map_to_users_and_roles():
    principals = parse_tokens("abc:alice:intake_clerk+visitor, xyz:bob:district_admin")
    assert principals["abc"].user == "alice"
    assert principals["abc"].roles == {"intake_clerk", "visitor"}
    assert principals["xyz"].roles == {"district_admin"}


def test_an_unknown_role_is_a_configuration_error():
    with pytest.raises(ValueError, match="unknown roles for carol"):
        parse_tokens("t:carol:superuser")


def test_no_tokens_means_nobody_is_let_in():
    assert parse_tokens("") == {}
