from pathlib import Path

from shared.events.catalogue import markdown

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_event_catalogue_in_the_docs_is_current():
    written = (DOCS / "events.md").read_text()
    assert written == markdown(), "regenerate it: python -m shared.events > docs/events.md"
