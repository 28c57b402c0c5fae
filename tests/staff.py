"""Staff tokens for the tests, signed as intake signs them when staff sign in.

A test names its staff in the format of `ELDERCARE_TOKENS` (`token:user:role+role[@community]`,
comma-separated): `staff_headers` gives each token's name the header of a signed token of that
user, and `add_staff` makes the accounts in intake (through its service layer), which refuses
tokens of users it does not know. Visits and allowances know a user from their token alone.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server

from devstack.processes import free_port
from devstack.stack import DEV_SECRET_KEY
from services.intake.entrypoints.app import create_app
from services.intake.service_layer.container import Intake
from services.intake.service_layer.users import create_user
from shared.config import MAX_TOKEN_TTL_SECONDS
from shared.web.auth import Principal, TokenSigner, read_token_spec

# Signs staff tokens in the tests' services; as long as a deployment's must be.
TEST_SECRET_KEY = "test-only-signing-key-of-32-bytes-or-more"
# Every test account's; long and uncommon enough for intake's password rules.
STAFF_PASSWORD = "a test password nobody guesses"
FIRST_TOKEN_VERSION = 1  # a new account's


def signed_tokens(spec: str, secret_key: str = TEST_SECRET_KEY) -> dict[str, str]:
    """Token name -> a token signed with `secret_key` for the user it stands for, as a newly
    made account of that user is issued on signing in."""
    signer = TokenSigner(secret_key, MAX_TOKEN_TTL_SECONDS)
    return {
        name: signer.issue(
            Principal(who.user, who.roles, who.community, token_version=FIRST_TOKEN_VERSION)
        )
        for name, who in read_token_spec(spec).items()
    }


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def staff_headers(spec: str, secret_key: str = TEST_SECRET_KEY) -> dict[str, dict[str, str]]:
    """Token name -> the `Authorization` header of its signed token."""
    return {name: bearer(token) for name, token in signed_tokens(spec, secret_key).items()}


def add_staff(service: object, spec: str, password: str = STAFF_PASSWORD) -> None:
    """Make the accounts of the users `spec` names, if `service` is intake (their community
    must be configured); the other services need none."""
    if not isinstance(service, Intake):
        return
    for who in read_token_spec(spec).values():
        if service.users.get(who.user) is None:
            create_user(service, who.user, password, sorted(who.roles), who.community)


@contextmanager
def serving(intake: Intake) -> Iterator[str]:
    """Intake's API on a free loopback port (its URL), where the operator console confirms
    the signed tokens of staff."""
    port = free_port()
    server = make_server("127.0.0.1", port, create_app(intake), threaded=True)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join()


# The end-to-end tests' staff, under the names of the fixed tokens they had before staff
# signed in: their accounts are made in the running intake, their tokens signed with the
# development key, and the hospital's system keeps a fixed token.
E2E_STAFF = ",".join(
    [
        "dev-admin:admin:district_admin",
        "dev-clerk:clerk:intake_clerk",
        "dev-visitor:visitor:visitor",
        "dev-officer:officer:allowance_officer",
        "dev-approver:approver:approver",
        "dev-head:head:community_head",
        "dev-operator:operator:operator",
    ]
)
# The workbench's browser tests sign its seeded accounts (admin, clerk, ...) in and out, which
# revokes their tokens: the tests' own calls are made as users of their own (api-admin, ...).
WORKBENCH_STAFF = ",".join(item.replace(":", ":api-", 1) for item in E2E_STAFF.split(","))
E2E_HOSPITAL_TOKEN = "hospital-system-token-of-32-characters-or-more"
E2E_MACHINES = f"{E2E_HOSPITAL_TOKEN}:hospital:integration"


def e2e_headers(spec: str = E2E_STAFF) -> dict[str, dict[str, str]]:
    """Token name (of `spec`, and `hospital`) -> its `Authorization` header."""
    return {**staff_headers(spec, DEV_SECRET_KEY), "hospital": bearer(E2E_HOSPITAL_TOKEN)}
