"""Clock and IdGenerator contracts, against the fakes the property tests use and the real adapters."""

import re
from datetime import UTC

import pytest

from adapters.fakes.clock import FakeClock
from adapters.fakes.id_generator import SequentialIds
from adapters.mongo.id_generator import ObjectIdGenerator
from adapters.system_clock import SystemClock

ID = re.compile(r"^[0-9a-f]{24}$")  # the path pattern of every id route in the OpenAPI document


@pytest.fixture(params=["fake", "system"])
def clock(request: pytest.FixtureRequest):
    return FakeClock() if request.param == "fake" else SystemClock()


@pytest.fixture(params=["fake", "objectid"])
def ids(request: pytest.FixtureRequest):
    return SequentialIds() if request.param == "fake" else ObjectIdGenerator()


def test_the_clock_reads_aware_utc_at_millisecond_precision_and_never_goes_back(clock) -> None:
    readings = [clock.now() for _ in range(50)]
    assert all(reading.tzinfo is UTC and reading.microsecond % 1000 == 0 for reading in readings)
    assert readings == sorted(readings)


def test_ids_are_unique_and_match_the_documented_id_pattern(ids) -> None:
    made = [ids.new_id() for _ in range(2000)]
    assert len(set(made)) == len(made)
    assert all(ID.match(made_id) for made_id in made)
