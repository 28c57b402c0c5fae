"""Imports run one way: entrypoints and `bootstrap.py` wire the layers below them, and nothing
below imports them back (the container every use case takes lives in the service layer)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# what each layer may not import, of its own service
NOT_BELOW = {
    "domain": ("service_layer", "adapters", "entrypoints", "bootstrap"),
    "adapters": ("service_layer", "entrypoints", "bootstrap"),
    "service_layer": ("entrypoints", "bootstrap"),
}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, wherever the import stands (a function, TYPE_CHECKING)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_no_layer_imports_a_layer_above_it():
    wrong = []
    checked = 0
    for layer, above in NOT_BELOW.items():
        for path in sorted((ROOT / "services").glob(f"*/{layer}/*.py")):
            service = path.parts[-3]
            checked += 1
            for module in imported_modules(path):
                if any(module.startswith(f"services.{service}.{up}") for up in above):
                    wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert checked > 90
    assert wrong == []


def test_each_service_has_its_container_in_the_service_layer():
    for service, container in (
        ("intake", "Intake"),
        ("visits", "Visits"),
        ("allowances", "Allowances"),
    ):
        path = ROOT / "services" / service / "service_layer" / "container.py"
        classes = {
            n.name for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.ClassDef)
        }
        assert container in classes, path


def test_services_build_their_events_one_way():
    """Through `shared.events.announce` (or `announce_change`), which stamps the service's
    source, district and time, never by calling the envelope's constructor themselves."""
    direct = []
    for path in sorted((ROOT / "services").glob("*/*/*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Name) and node.id == "new_event":
                direct.append(str(path.relative_to(ROOT)))
    assert direct == []


def test_every_api_declares_its_views_on_the_shared_blueprint():
    """`shared.web.blueprint.Blueprint`, which makes each view's argument schema once: one of
    flask-smorest's own would make it again for every request."""
    own = []
    for folder in ("services", "shared", "ops"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if (
                    isinstance(node, ast.ImportFrom)
                    and node.module == "flask_smorest"
                    and any(alias.name == "Blueprint" for alias in node.names)
                ):
                    own.append(str(path.relative_to(ROOT)))
    assert own == []


def test_use_cases_reach_the_store_only_through_the_containers_stores():
    """The container holds the database handle for the wiring (indexes, the worker, the audit
    trail, the probes); a use case that read it would escape the store protocols, and its unit
    test's stores in memory. Only `container.py` names pymongo, to type that handle."""
    wrong = []
    for path in sorted((ROOT / "services").glob("*/service_layer/*.py")):
        tree = ast.parse(path.read_text(), str(path))
        if path.name != "container.py" and any(
            m.startswith("pymongo") for m in imported_modules(path)
        ):
            wrong.append(f"{path.relative_to(ROOT)} imports pymongo")
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "db":
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} reads .db")
    assert wrong == []
