"""Registering, checking and editing ComfyUI servers over the fake backend."""

import pytest

from adapters.fakes.generation_backend import FakeServer
from application.comfyui.check_servers import CheckServers
from application.comfyui.register_server import RegisterServer, RegisterServerHandler
from application.comfyui.server_models import GetServerModels
from application.comfyui.update_server import ServerChanges, UpdateServer, UpdateServerHandler
from application.errors import Conflict, UpstreamUnavailable
from domain.comfyui_server import HealthStatus, ModelCatalog
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
    assert world.store.tables["comfyui_servers"][server.id].models == catalog
