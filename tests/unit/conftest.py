"""Fixtures of the unit tests of the workbench's parts."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel, force_locale

PORTAL = Path(__file__).resolve().parents[2] / "portal"


@pytest.fixture
def chinese() -> Iterator[None]:
    """The workbench's words in Chinese, as in a request of the portal."""
    app = Flask("portal", root_path=str(PORTAL))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(PORTAL / "translations")
    Babel(app)
    with app.test_request_context(), force_locale("zh_CN"):
        yield
