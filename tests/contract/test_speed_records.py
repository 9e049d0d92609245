"""The SpeedRecords port: learned job times every API instance sees alike, in memory as on Mongo."""

from collections.abc import AsyncIterator, Callable

import pytest

from adapters.fakes.speed_records import InMemorySpeedRecords
from adapters.mongo.speed_records import MongoSpeedRecords
from application.ports.speed_records import SpeedRecords
from domain.speed_model import Estimate
from tests.contract.conftest import BACKENDS, _shared_fake_or_mongo


@pytest.fixture(params=BACKENDS)
async def speed_records(request: pytest.FixtureRequest, secantus_url: str) -> AsyncIterator[Callable[[], SpeedRecords]]:
    async for instances in _shared_fake_or_mongo(request.param, secantus_url, InMemorySpeedRecords(),
                                                 MongoSpeedRecords):
        yield instances


async def test_nothing_is_known_at_first(speed_records):
    assert await speed_records().load() == {}


async def test_saved_estimates_are_seen_by_every_instance_and_replace_only_their_own_pairs(speed_records):
    writer, reader = speed_records(), speed_records()
    await writer.save({("s1", "sdxl"): Estimate(2.5, 3), ("s1", "flux"): Estimate(9.0, 1)})
    await reader.save({("s2", "sdxl"): Estimate(4.0, 1)})
    await writer.save({("s1", "sdxl"): Estimate(2.25, 4)})
    await writer.save({})
    assert await reader.load() == {("s1", "sdxl"): Estimate(2.25, 4), ("s1", "flux"): Estimate(9.0, 1),
                                   ("s2", "sdxl"): Estimate(4.0, 1)}


async def test_model_names_with_odd_characters_round_trip(speed_records):
    records = speed_records()
    await records.save({("s1", "wf.$x y"): Estimate(1.0, 1)})
    assert await speed_records().load() == {("s1", "wf.$x y"): Estimate(1.0, 1)}


async def test_forgetting_a_server_drops_only_its_estimates_for_every_instance(speed_records):
    writer, reader = speed_records(), speed_records()
    await writer.save({("s1", "sdxl"): Estimate(2.5, 3), ("s1", "flux"): Estimate(9.0, 1),
                       ("s10", "sdxl"): Estimate(4.0, 1), ("s2", "s1"): Estimate(1.0, 1)})
    assert await reader.forget("s1") == 2
    assert await writer.load() == {("s10", "sdxl"): Estimate(4.0, 1), ("s2", "s1"): Estimate(1.0, 1)}
    assert await writer.forget("s1") == 0  # nothing left: forgetting again is harmless
    assert await reader.forget("unknown") == 0
