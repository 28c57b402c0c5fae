"""Fixtures of the workbench's browser tests: the services and the workbench started as
`./dev up` starts them, with records of their own, and a fresh browser for each test."""

from collections.abc import Iterator

import pytest
from selenium.webdriver.remote.webdriver import WebDriver
from staff import E2E_MACHINES, WORKBENCH_STAFF, add_staff
from workbench import RECORDS, chrome

from devstack.stack import intake_store, seed_staff, start_services, stop_services


@pytest.fixture(scope="module")
def workbench(infra, run_dir, ports) -> Iterator[dict]:
    start_services(
        run_dir,
        infra,
        ports,
        KAFKA_SESSION_TIMEOUT_MS="6000",
        ELDERCARE_TOKENS=E2E_MACHINES,
        MONGO_DB=RECORDS,
    )
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.apis.items()}
    intake = intake_store(infra, ports, MONGO_DB=RECORDS)
    accounts = seed_staff(run_dir, urls, intake)
    add_staff(intake, WORKBENCH_STAFF)
    yield {
        **urls,
        "portal": f"http://127.0.0.1:{ports.portal}",
        "passwords": {name: password for name, (_, password) in accounts.items()},
    }
    stop_services(run_dir)


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    driver = chrome()
    yield driver
    driver.quit()
