"""The Python dependencies are locked with their hashes: requirements.txt and
requirements-dev.txt are the files people edit, requirements.lock and requirements-dev.lock
(pip-compile --generate-hashes) what the image and ./dev install, with --require-hashes."""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[A-Za-z0-9,._-]+\])?==(\S+?)(?:\s*\\)?$")


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(path: Path) -> dict[str, str]:
    """{package: version} of the `name==version` lines of a requirements file."""
    pins = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line.split(" #", 1)[0].strip())
        if match:
            pins[normalised(match[1])] = match[2]
    return pins


def locked(path: Path) -> dict[str, tuple[str, int]]:
    """{package: (version, number of hashes)} of a lock file."""
    entries: dict[str, tuple[str, int]] = {}
    current = ""
    for line in path.read_text().splitlines():
        match = PIN.match(line.strip())
        if match and not line.startswith(" "):
            current = normalised(match[1])
            entries[current] = (match[2], 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, hashes = entries[current]
            entries[current] = (version, hashes + 1)
    return entries


@pytest.mark.parametrize(
    ("source", "lock"),
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_every_requirement_is_locked_at_its_pinned_version_with_hashes(source, lock):
    wanted = requirements(REPO / source)
    if source == "requirements-dev.txt":
        wanted |= requirements(REPO / "requirements.txt")
    entries = locked(REPO / lock)
    for package, version in wanted.items():
        assert package in entries, f"{package} is not in {lock}: run pip-compile (README)"
        assert entries[package][0] == version, f"{package}: {source} and {lock} differ"
    for package, (_, hashes) in entries.items():
        assert hashes > 0, f"{package} has no hash in {lock}"


def test_the_development_lock_holds_the_runtime_lock_unchanged():
    runtime = locked(REPO / "requirements.lock")
    development = locked(REPO / "requirements-dev.lock")
    for package, (version, _) in runtime.items():
        assert development.get(package, ("",))[0] == version, package


def test_dev_installs_from_the_lock_with_hashes_and_reinstalls_when_it_changes():
    script = (REPO / "dev").read_text()
    ensure = script[script.index("ensure_venv() {") : script.index("\n}\n")]
    assert re.search(r"pip\" install .*--require-hashes -r requirements-dev\.lock", ensure)
    assert "cat requirements.lock requirements-dev.lock | sha256sum" in ensure


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_a_lock_keeps_extras_and_names_no_folder_of_one_machine(lock):
    """Stripped extras let pip take an extra's newest release, which --require-hashes refuses."""
    text = (REPO / lock).read_text()
    assert "--no-strip-extras" in text.splitlines()[4], f"compile {lock} with --no-strip-extras"
    assert "fonttools[woff]==" in text, "WeasyPrint requires fonttools[woff]: lock it so"
    options = [line for line in text.splitlines() if line.startswith("--")]
    assert options == [], f"{lock} carries install options of one machine: {options}"
