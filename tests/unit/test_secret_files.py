"""Secrets are read from the files Docker secrets mount (`NAME_FILE`), never required in the
environment; a named file that is missing or empty stops the start with a clear message."""

import pytest

from ops.config import ConsoleSettings
from portal.config import PortalSettings
from shared.config import Settings
from shared.mongo import credentials
from shared.secret_files import SecretUnavailable, secret

MACHINE_TOKENS = "hospital-token-of-32-characters-or-more:hospital:integration"
CONSOLE_TOKENS = "console-token-of-32-characters-or-more:ops:operator"


@pytest.fixture
def secrets_dir(tmp_path):
    def write(name: str, value: str) -> str:
        path = tmp_path / name
        path.write_text(value)
        return str(path)

    return write


def test_the_file_named_by_name_file_wins_over_the_variable(secrets_dir):
    env = {"TOKEN": "from-env", "TOKEN_FILE": secrets_dir("token", "from-file\n")}
    assert secret(env, "TOKEN") == "from-file"
    assert secret({"TOKEN": "from-env"}, "TOKEN") == "from-env"
    assert secret({}, "TOKEN", "fallback") == "fallback"


def test_a_missing_secret_file_stops_the_start_naming_the_variable_and_path(tmp_path):
    missing = str(tmp_path / "nowhere")
    with pytest.raises(SecretUnavailable, match=f"ELDERCARE_SECRET_KEY_FILE names {missing}"):
        Settings.from_env("intake", {"ELDERCARE_SECRET_KEY_FILE": missing})


def test_an_empty_secret_file_stops_the_start(secrets_dir):
    empty = secrets_dir("empty", " \n")
    with pytest.raises(SecretUnavailable, match="which is empty"):
        Settings.from_env("intake", {"ELDERCARE_TOKENS_FILE": empty})


def test_the_services_read_every_secret_from_files(secrets_dir):
    settings = Settings.from_env(
        "visits",
        {
            "ELDERCARE_TOKENS_FILE": secrets_dir("tokens", f"{MACHINE_TOKENS}\n"),
            "ELDERCARE_SECRET_KEY_FILE": secrets_dir(
                "key", "signing-key-of-32-bytes-or-more-0123\n"
            ),
            "MONGO_URL_FILE": secrets_dir("url", "mongodb://mongo-visits:27017/?tls=true\n"),
            "MONGO_USERNAME": "visits",
            "MONGO_PASSWORD_FILE": secrets_dir("password", "s3cret-password\n"),
        },
    )
    assert settings.tokens == MACHINE_TOKENS
    assert settings.secret_key == "signing-key-of-32-bytes-or-more-0123"
    assert settings.mongo_url == "mongodb://mongo-visits:27017/?tls=true"
    assert credentials(settings) == {"username": "visits", "password": "s3cret-password"}
    shown = repr(settings)
    for value in (MACHINE_TOKENS, "signing-key", "s3cret-password", "mongo-visits"):
        assert value not in shown


def test_a_store_user_without_a_password_is_refused_at_start():
    with pytest.raises(SecretUnavailable, match="MONGO_PASSWORD_FILE"):
        credentials(Settings.from_env("intake", {"MONGO_USERNAME": "intake"}))
    assert credentials(Settings.from_env("intake", {})) == {}


def test_the_console_and_the_workbench_read_their_secrets_from_files(secrets_dir, tmp_path):
    console = ConsoleSettings.from_env(
        {
            "ELDERCARE_RUN_DIR": str(tmp_path),
            "ELDERCARE_TOKENS_FILE": secrets_dir("tokens", f"{CONSOLE_TOKENS}\n"),
        }
    )
    assert console.tokens == CONSOLE_TOKENS
    assert CONSOLE_TOKENS not in repr(console)
    portal = PortalSettings.from_env(
        {
            "ELDERCARE_RUN_DIR": str(tmp_path),
            "PORTAL_SECRET_KEY_FILE": secrets_dir("portal", "p" * 32 + "\n"),
        }
    )
    assert portal.secret_key == "p" * 32
    assert "p" * 32 not in repr(portal)
    with pytest.raises(SecretUnavailable, match="PORTAL_SECRET_KEY_FILE"):
        PortalSettings.from_env({"PORTAL_SECRET_KEY_FILE": str(tmp_path / "absent")})
