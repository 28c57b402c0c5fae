"""The reliability suite runs against the whole system as real processes: Kafka, one store per
service (the session's), and each service's worker and gunicorn API, started here by devstack
and stopped by PID when the suite is done."""

from collections.abc import Iterator

import pytest
from figures import FIGURES
from stack_control import Stack
from staff import E2E_STAFF, add_staff

from devstack.stack import intake_store


@pytest.fixture(scope="package")
def stack(infra, run_dir, ports) -> Iterator[Stack]:
    system = Stack(run_dir, ports, infra)
    system.start_all()
    add_staff(intake_store(infra, ports), E2E_STAFF)
    yield system
    system.stop_all()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for title, rows in FIGURES:
        terminalreporter.write_sep("-", title)
        for name, value in rows:
            terminalreporter.write_line(f"{name:<62} {value}")
