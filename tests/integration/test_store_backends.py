"""FerretDB's other backend, PostgreSQL, passes the store conformance test that the default
(SQLite, every other test's store) passes, so that either can serve: the same test, in a run of
its own with `ELDERCARE_STORE_BACKEND=postgresql`, as `./dev bench --stores` runs it."""

import pytest

from bench.stores import conformance_test
from devstack.postgres import postgres_bin_dir


def _postgresql_installed() -> bool:
    try:
        postgres_bin_dir()
    except RuntimeError:
        return False
    return True


@pytest.mark.skipif(
    not _postgresql_installed(), reason="PostgreSQL is not installed: devstack/install-postgresql"
)
@pytest.mark.timeout(900)
def test_the_postgresql_backend_passes_the_store_conformance_test(monkeypatch):
    monkeypatch.setenv("ELDERCARE_STORE_BACKEND", "postgresql")
    result = conformance_test()
    assert result["failed"] == 0, result["summary"]
    assert result["passed"] >= 20, result["summary"]  # every test of the module ran
