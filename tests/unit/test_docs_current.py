import json
from pathlib import Path

from shared.events.asyncapi import document
from shared.events.catalogue import CATALOGUE, markdown

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_event_catalogue_in_the_docs_is_current():
    written = (DOCS / "events.md").read_text()
    assert written == markdown(), "regenerate it: python -m shared.events > docs/events.md"


def test_the_asyncapi_document_in_the_docs_is_current():
    written = json.loads((DOCS / "asyncapi.json").read_text())
    assert written == json.loads(json.dumps(document())), (
        "regenerate it: python -m shared.events asyncapi > docs/asyncapi.json"
    )


def test_every_event_type_is_in_the_asyncapi_document_and_every_reference_resolves():
    spec = document()
    names = {m["name"] for m in spec["components"]["messages"].values()}
    assert names == set(CATALOGUE)

    def refs(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    yield value
                else:
                    yield from refs(value)
        elif isinstance(node, list):
            for item in node:
                yield from refs(item)

    for ref in refs(spec):
        target = spec
        for part in ref.removeprefix("#/").split("/"):
            assert part in target, f"{ref} does not resolve"
            target = target[part]


def test_the_permission_matrix_in_the_docs_is_current():
    from shared.web.permissions import markdown as matrix

    written = (DOCS / "security.md").read_text()
    assert written == matrix(), "regenerate it: python -m shared.web.permissions > docs/security.md"
