"""Each service's domain is plain Python: its rules import nothing but the standard library,
their own service's domain, and the plain kernel of `shared` (its words, errors, dates and the
shape of a change), so that they read, and are tested, on their own. An allowlist, followed
through every import: a web framework, a schema library, a store driver, a broker client or
another service's rules, reached however indirectly, fails it."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "visits", "allowances")
# The plain modules of `shared` a rule may use: no library outside the standard one
PLAIN_SHARED = {
    "shared",
    "shared.ages",
    "shared.changes",
    "shared.errors",
    "shared.months",
    "shared.personal",
    "shared.reminders",
    "shared.roles",
    "shared.vocabulary",
}

# Imports every domain module of one service in a fresh interpreter, and lists each module it
# brought in that is not of the standard library.
PROBE = """
import importlib, json, sys
before = set(sys.modules)
for name in {modules!r}:
    importlib.import_module(name)
brought = set(sys.modules) - before
print(json.dumps(sorted(
    m for m in brought
    if m.split(".")[0] not in sys.stdlib_module_names and not m.startswith("_")
)))
"""


def domain_modules(service: str) -> list[str]:
    found = sorted((ROOT / "services" / service / "domain").glob("*.py"))
    return [
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in found
        if path.name != "__init__.py"
    ]


def brought_in(service: str) -> list[str]:
    probe = PROBE.format(modules=domain_modules(service))
    answer = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(answer.stdout)


def allowed(module: str, service: str) -> bool:
    own = ("services", f"services.{service}", f"services.{service}.domain")
    return (
        module in own or module.startswith(f"services.{service}.domain.") or module in PLAIN_SHARED
    )


def test_every_domain_module_is_found():
    modules = [m for service in SERVICES for m in domain_modules(service)]
    assert len(modules) > 30


def test_each_domain_imports_only_the_standard_library_its_own_rules_and_plain_shared():
    outside = {
        service: [m for m in brought_in(service) if not allowed(m, service)] for service in SERVICES
    }
    assert outside == {service: [] for service in SERVICES}


def test_the_allowlist_would_catch_a_library():
    assert not allowed("marshmallow", "intake")
    assert not allowed("shared.events", "visits")
    assert not allowed("services.intake.domain.elder", "visits")
    assert allowed("services.visits.domain.obligations", "visits")
