"""Each service's domain is plain Python: its rules import no web framework, schema library,
store driver or broker client, so that they read, and are tested, on their own."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = ("flask", "werkzeug", "marshmallow", "pymongo", "bson", "kafka", "requests")

# Imports each domain module in turn in a fresh interpreter, and names the first one that
# brought in a library from outside.
PROBE = """
import importlib, sys
outside = {outside!r}
for name in {modules!r}:
    importlib.import_module(name)
    found = sorted(m for m in outside if m in sys.modules)
    if found:
        print(name, "imports", ", ".join(found))
        break
"""


def domain_modules() -> list[str]:
    found = sorted((ROOT / "services").glob("*/domain/*.py"))
    return [
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in found
        if path.name != "__init__.py"
    ]


def test_every_domain_module_is_found():
    modules = domain_modules()
    assert {m.split(".")[1] for m in modules} == {"intake", "visits", "allowances"}
    assert len(modules) > 30


def test_no_domain_module_imports_a_framework_driver_or_client():
    probe = PROBE.format(outside=OUTSIDE, modules=domain_modules())
    answer = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert answer.stdout == "", answer.stdout
