"""Registering, checking and editing ComfyUI servers over the fake backend."""

import pytest
from attrs import evolve

from adapters.fakes.generation_backend import FakeServer
from application.comfyui.delete_server import DeleteServer, DeleteServerHandler
from application.comfyui.check_servers import CheckServers
from application.comfyui.queries import GetServer
from application.comfyui.register_server import RegisterServer, RegisterServerHandler
from application.comfyui.server_models import GetServerModels
from application.comfyui.update_server import ServerChanges, UpdateServer, UpdateServerHandler
from application.errors import Conflict, UpstreamUnavailable
from application.queue.queries import GetQueueStatus, GetServerLoads
from application.queue.queue_admin import PauseTarget, SetPaused
from domain.comfyui_server import HealthStatus, ModelCatalog
from domain.comfyui_server import normalized_server_url
from domain.errors import InvalidValue
from tests.unit.application.fakes import FakeWorld

URL = "http://10.0.0.5:8188"


@pytest.fixture
def world() -> FakeWorld:
    world = FakeWorld()
    world.backend.servers[URL] = FakeServer(models=ModelCatalog(checkpoints=("sdxl.safetensors",)))
    return world


async def register(world, url=URL + "/", **fields):
    return await world.handler(RegisterServerHandler)(RegisterServer(name="gpu", url=url, **fields))


async def test_registration_probes_the_server_and_records_health_and_models(world):
    server = await register(world, capacity=3)
    assert server.url == URL
    assert (server.health.status, server.health.comfyui_version) == (HealthStatus.UP, "0.3.64-fake")
    assert server.models.checkpoints == ("sdxl.safetensors",)
    assert server.capacity == 3 and server.available


async def test_an_unreachable_server_is_not_registered(world):
    with pytest.raises(UpstreamUnavailable):
        await register(world, url="http://10.0.0.6:8188")
    assert world.rows("comfyui_servers") == []


@pytest.mark.parametrize("url", ["ftp://x", "http://", "localhost:8188", "http://u:p@h:1", "http://h:99999"])
async def test_a_bad_url_is_refused(world, url):
    with pytest.raises(InvalidValue):
        await register(world, url=url)


async def test_the_same_url_cannot_be_registered_twice(world):
    await register(world)
    with pytest.raises(Conflict):
        await register(world, url=URL)


async def test_capacity_must_be_sane(world):
    with pytest.raises(InvalidValue):
        await register(world, capacity=0)


async def test_checks_mark_servers_down_with_the_error_and_up_again(world):
    server = await register(world)
    world.backend.servers[URL].up = False
    [down] = await world.handler(CheckServers)()
    assert down.health.status is HealthStatus.DOWN and "unreachable" in down.health.last_error
    assert not down.available
    world.backend.servers[URL].up = True
    [up] = await world.handler(CheckServers)()
    assert up.health.status is HealthStatus.UP and up.id == server.id


async def test_moving_a_server_probes_the_new_url(world):
    server = await register(world)
    with pytest.raises(UpstreamUnavailable):
        await world.handler(UpdateServerHandler)(UpdateServer(server.id, ServerChanges(url="http://10.9.9.9:1")))
    disabled = await world.handler(UpdateServerHandler)(UpdateServer(server.id, ServerChanges(enabled=False)))
    assert not disabled.enabled and not disabled.available


async def test_models_are_read_live_and_stored(world):
    server = await register(world)
    world.backend.servers[URL].models = ModelCatalog(loras=("ava.safetensors",))
    catalog = await world.handler(GetServerModels)(server.id)
    assert catalog.loras == ("ava.safetensors",)
    assert (await world.handler(GetServer)(server.id)).models == catalog


# Health is an observation, apart from the versioned configuration ------------------------------------------


async def test_checks_never_change_a_servers_version_so_an_edit_with_the_version_read_before_still_applies(world):
    server = await register(world)
    read = await world.handler(GetServer)(server.id)
    world.backend.servers[URL].up = False
    [down] = await world.handler(CheckServers)()
    world.backend.servers[URL].up = True
    await world.handler(CheckServers)(models=True)
    assert down.version == read.version == (await world.handler(GetServer)(server.id)).version
    renamed = await world.handler(UpdateServerHandler)(
        UpdateServer(server.id, ServerChanges(name="gpu-renamed", version=read.version)))
    assert renamed.name == "gpu-renamed" and renamed.version == read.version + 1
    assert renamed.health.status is HealthStatus.UP, "the edit keeps the last observation"


async def test_an_edit_with_a_stale_version_is_still_refused(world):
    server = await register(world)
    await world.handler(UpdateServerHandler)(UpdateServer(server.id, ServerChanges(capacity=2)))
    with pytest.raises(Conflict):
        await world.handler(UpdateServerHandler)(UpdateServer(server.id, ServerChanges(capacity=3, version=1)))


async def test_what_was_observed_at_an_old_url_does_not_count_once_the_server_moved(world):
    moved_to = "http://10.0.0.7:8188"
    world.backend.servers[moved_to] = FakeServer(models=ModelCatalog(loras=("new.safetensors",)))
    server = await register(world)
    moved = await world.handler(UpdateServerHandler)(UpdateServer(server.id, ServerChanges(url=moved_to)))
    assert moved.url == moved_to and moved.health.status is HealthStatus.UP
    await world.observations().record_health(server.id, URL, evolve(moved.health, status=HealthStatus.DOWN))
    stored = await world.handler(GetServer)(server.id)
    assert stored.health.status is HealthStatus.UP and stored.models.loras == ("new.safetensors",)


async def test_unregistering_forgets_what_was_observed(world):
    server = await register(world)
    await world.handler(DeleteServerHandler)(DeleteServer(server.id))
    assert world.store.server_observations == {}


# One registration per address -------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", [URL + "/", URL + "//", "HTTP://10.0.0.5:8188", " http://10.0.0.5:8188 "])
async def test_an_address_registered_in_any_spelling_is_a_conflict(world, spelling):
    await register(world, url=URL)
    with pytest.raises(Conflict):
        await register(world, url=spelling)
    assert len(world.rows("comfyui_servers")) == 1


@pytest.mark.parametrize(("first", "second"), [
    ("http://GPU-1:8188", "http://gpu-1:8188/"),
    ("http://gpu-1:80", "http://gpu-1"),
    ("https://gpu-1:443/comfy/", "HTTPS://GPU-1/comfy"),
])
async def test_host_case_and_default_ports_are_one_address(world, first, second):
    world.backend.servers[normalized_server_url(first)] = FakeServer()
    await register(world, url=first)
    with pytest.raises(Conflict):
        await register(world, url=second)


async def test_localhost_and_127_0_0_1_are_two_addresses_since_names_are_not_resolved(world):
    for url in ("http://localhost:8188", "http://127.0.0.1:8188"):
        world.backend.servers[url] = FakeServer()
        await register(world, url=url)
    assert len(world.rows("comfyui_servers")) == 2


async def test_a_duplicate_is_refused_before_probing_even_when_the_server_is_down(world):
    await register(world)
    world.backend.servers[URL].up = False
    with pytest.raises(Conflict):
        await register(world, url=URL + "/")


async def test_moving_a_server_onto_another_ones_address_is_a_conflict(world):
    other = "http://10.0.0.8:8188"
    world.backend.servers[other] = FakeServer()
    await register(world, url=other)
    server = await register(world)
    with pytest.raises(Conflict):
        await world.handler(UpdateServerHandler)(UpdateServer(server.id, ServerChanges(url=other + "/")))
    same = await world.handler(UpdateServerHandler)(UpdateServer(server.id, ServerChanges(url="HTTP://10.0.0.5:8188/")))
    assert same.url == URL, "its own address in another spelling is no move"


# Paused servers take no work, so they are not counted as up --------------------------------------------------


async def test_a_paused_server_is_not_counted_as_up_nor_available(world):
    server = await register(world, capacity=3)
    world.backend.servers["http://10.0.0.9:8188"] = FakeServer()
    await register(world, url="http://10.0.0.9:8188", capacity=2)
    await world.handler(SetPaused)(PauseTarget(server.id), paused=True)
    status = await world.handler(GetQueueStatus)()
    assert (status.servers_up, status.capacity, status.paused_servers) == (1, 2, (server.id,))
    loads = {load.server_id: load for load in await world.handler(GetServerLoads)()}
    assert loads[server.id].paused and not loads[server.id].available
    assert loads[server.id].health is HealthStatus.UP, "its health is still reported as found"
    await world.handler(SetPaused)(PauseTarget(server.id), paused=False)
    assert (await world.handler(GetQueueStatus)()).servers_up == 2
