from datetime import date

import pytest

from services.allowances.domain.high_age import high_age_eligibility

DAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (date(1946, 11, 30), None),  # 79, turns 80 tomorrow
        (date(1946, 11, 29), "80-89"),  # 80 today
        (date(1936, 11, 30), "80-89"),  # 89
        (date(1936, 11, 29), "90-99"),
        (date(1926, 11, 30), "90-99"),
        (date(1926, 11, 29), "100+"),
        (date(1920, 1, 1), "100+"),
    ],
)
def test_bands_change_on_the_birthday(born, band):
    eligibility = high_age_eligibility(born, DAY)
    assert (eligibility.band.name if eligibility.band else None) == band
    assert eligibility.eligible is (band is not None)


def test_nobody_is_eligible_once_deceased():
    eligibility = high_age_eligibility(date(1930, 1, 1), DAY, alive=False)
    assert eligibility.age == 96
    assert not eligibility.eligible
