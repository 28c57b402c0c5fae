"""Where devstack keeps downloads (a cache shared by every checkout) and runtime state."""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
RESOURCES = Path(__file__).resolve().parent / "resources"


def cache_dir() -> Path:
    """Downloads and builds, kept across checkouts so that a second start is fast."""
    base = (
        os.environ.get("ELDERCARE_CACHE_DIR")
        or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "eldercare"
    )
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


def run_dir() -> Path:
    """PID files, logs and data of the locally running system."""
    path = Path(os.environ.get("ELDERCARE_RUN_DIR", REPO_ROOT / ".run"))
    path.mkdir(parents=True, exist_ok=True)
    return path
