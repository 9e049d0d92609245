"""The ServerObservations port and the servers repository that attaches them: the fake and Mongo alike."""

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import pytest
from attrs import evolve, frozen

from adapters.fakes.server_observations import InMemoryServerObservations
from adapters.fakes.unit_of_work import InMemoryStore, InMemoryUnitOfWork
from adapters.mongo.converter import make_document_converter
from adapters.mongo.server_observations import MongoServerObservations
from adapters.mongo.unit_of_work import MongoUnitOfWork
from application.errors import Conflict
from application.ports.server_observations import ServerObservations
from application.ports.unit_of_work import UnitOfWork
from domain.comfyui_server import ComfyUIServer, HealthStatus, ModelCatalog, ServerHealth
from tests.contract.conftest import BACKENDS, fresh_database

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
UP = ServerHealth(HealthStatus.UP, T0, 1.5, None, "0.38.1")
DOWN = ServerHealth(HealthStatus.DOWN, T0, None, "refused")
CATALOG = ModelCatalog(checkpoints=("sdxl.safetensors",), loras=("ava.safetensors",))


@frozen
class Registry:
    new_uow: Callable[[], UnitOfWork]
    observations: ServerObservations


@pytest.fixture(params=BACKENDS)
async def registry(request: pytest.FixtureRequest, secantus_url: str) -> AsyncIterator[Registry]:
    if request.param == "fake":
        store = InMemoryStore()
        observations = InMemoryServerObservations(store.server_observations, store.tables["comfyui_servers"])
        yield Registry(lambda: InMemoryUnitOfWork(store), observations)
        return
    async with fresh_database(secantus_url) as database:
        converter = make_document_converter()
        yield Registry(lambda: MongoUnitOfWork(database.handle, converter, database.transactions),
                       MongoServerObservations(database.handle, converter))


def server(server_id: str = "s1", url: str = "http://gpu:8188") -> ComfyUIServer:
    return ComfyUIServer(id=server_id, name="gpu", url=url, created_at=T0, updated_at=T0, capacity=2)


async def stored(registry: Registry, server_id: str = "s1") -> ComfyUIServer:
    async with registry.new_uow() as uow:
        found = await uow.comfyui_servers.get(server_id)
    assert found is not None
    return found


async def add(registry: Registry, *servers: ComfyUIServer) -> None:
    async with registry.new_uow() as uow:
        await uow.comfyui_servers.add_all(list(servers))
        await uow.commit()


async def test_a_server_reads_back_with_what_was_recorded_and_its_version_untouched(registry):
    await add(registry, evolve(server(), health=UP, models=CATALOG))
    assert (await stored(registry)).health == ServerHealth(), "add stores the configuration only"
    await registry.observations.record_health("s1", "http://gpu:8188", UP)
    await registry.observations.record_models("s1", "http://gpu:8188", CATALOG)
    await registry.observations.record_health("s1", "http://gpu:8188", DOWN)
    found = await stored(registry)
    assert (found.health, found.models, found.version) == (DOWN, CATALOG, 1)
    async with registry.new_uow() as uow:
        [listed] = await uow.comfyui_servers.all()
    assert listed == found


async def test_an_edit_keeps_the_observations_and_the_version_guard_ignores_them(registry):
    await add(registry, server())
    read = await stored(registry)
    await registry.observations.record_health("s1", read.url, UP)
    async with registry.new_uow() as uow:
        saved = await uow.comfyui_servers.update(evolve(read, name="renamed"))
        await uow.commit()
    assert (saved.name, saved.version, saved.health) == ("renamed", 2, UP)
    assert await stored(registry) == saved
    with pytest.raises(Conflict):
        async with registry.new_uow() as uow:
            await uow.comfyui_servers.update(evolve(read, name="stale"))


async def test_what_was_found_at_another_address_does_not_count(registry):
    await add(registry, server())
    await registry.observations.record_health("s1", "http://gpu:8188", UP)
    async with registry.new_uow() as uow:
        moved = await uow.comfyui_servers.update(evolve(await uow.comfyui_servers.get("s1"), url="http://gpu:9000"))
        await uow.commit()
    assert moved.health == ServerHealth()
    await registry.observations.record_health("s1", "http://gpu:9000", DOWN)
    await registry.observations.record_health("s1", "http://gpu:8188", UP)  # a late probe of the old address
    assert (await stored(registry)).health == DOWN


async def test_forgetting_a_server_drops_its_observations_only(registry):
    await add(registry, server("s1"), server("s2", "http://other:8188"))
    for server_id, url in (("s1", "http://gpu:8188"), ("s2", "http://other:8188")):
        await registry.observations.record_health(server_id, url, UP)
    await registry.observations.forget("s1")
    assert (await stored(registry, "s1")).health == ServerHealth()
    assert (await stored(registry, "s2")).health == UP


async def unregister(registry: Registry, server_id: str = "s1") -> None:
    """As DeleteServer does: the server goes, then what was observed of it."""
    async with registry.new_uow() as uow:
        await uow.comfyui_servers.delete(server_id)
        await uow.commit()
    await registry.observations.forget(server_id)


async def test_what_is_found_at_an_unregistered_server_is_not_kept(registry):
    await registry.observations.record_health("s1", "http://gpu:8188", UP)  # never registered
    await add(registry, server())
    await unregister(registry)
    await registry.observations.record_health("s1", "http://gpu:8188", DOWN)  # a probe that outlived it
    await registry.observations.record_models("s1", "http://gpu:8188", CATALOG)
    await add(registry, server())  # registered again under the same id: it starts unobserved
    found = await stored(registry)
    assert (found.health, found.models) == (ServerHealth(), ModelCatalog())


async def test_probes_racing_an_unregistration_leave_nothing_behind(registry):
    async def probe(delay: float) -> None:
        await asyncio.sleep(delay)
        await registry.observations.record_health("s1", "http://gpu:8188", UP)

    for round_number in range(5):
        await add(registry, server())
        await asyncio.gather(unregister(registry), *(probe(0.002 * step) for step in range(12)))
        await add(registry, server())
        assert (await stored(registry)).health == ServerHealth(), f"round {round_number}"
        await unregister(registry)


async def test_without_transactions_mongos_unique_index_still_refuses_a_second_server_at_one_address(secantus_url):
    """The use cases check first; under a race (no transaction to conflict in) the index decides: a 409."""
    async with fresh_database(secantus_url) as database:
        uow = MongoUnitOfWork(database.handle, make_document_converter(), transactions=False)
        async with uow:
            await uow.comfyui_servers.add_all([server("s1"), server("s2", "http://other:8188")])
            with pytest.raises(Conflict):
                await uow.comfyui_servers.add(server("s3"))
            with pytest.raises(Conflict, match="url"):
                await uow.comfyui_servers.update(server("s2", "http://gpu:8188"))


async def test_on_mongo_a_server_stored_before_observation_documents_were_born_with_it_is_observed(secantus_url):
    async with fresh_database(secantus_url) as database:
        converter = make_document_converter()
        await database.handle["comfyui_servers"].insert_one(converter.unstructure(server()))  # no observation document
        registry = Registry(lambda: MongoUnitOfWork(database.handle, converter, database.transactions),
                            MongoServerObservations(database.handle, converter))
        await registry.observations.record_health("s1", "http://gpu:8188", UP)
        assert (await stored(registry)).health == UP
        await unregister(registry)
        await registry.observations.record_health("s1", "http://gpu:8188", DOWN)
        assert await database.handle["comfyui_server_status"].count_documents({}) == 0
