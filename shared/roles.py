"""The staff roles, plain: the domain checks them without Flask (shared.web.auth enforces them
at the door)."""

ADMIN = "district_admin"
ROLES = (
    "intake_clerk",
    "visitor",
    "allowance_officer",
    "approver",
    "community_head",
    "operator",
    "integration",  # another system publishing events over HTTP
    ADMIN,
)
# who reads the figures of the year's work summary in every service: aggregate counts, no one's
# personal data; those who compile it (the workbench's statistics page)
SUMMARY_READERS = ("intake_clerk", "community_head", "allowance_officer")


def check_roles(roles: set[str] | frozenset[str], user: str) -> None:
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"unknown or no roles for {user}: {sorted(unknown)}")
