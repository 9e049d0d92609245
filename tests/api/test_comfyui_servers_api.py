"""ComfyUI servers through the API on SecantusDB and the simulator: probing never bumps a server's version,
one registration per address (also under concurrent registrations), paused servers are not counted as up."""

import asyncio
from pathlib import Path

import pytest

from entrypoints.settings import Settings
from simulators.comfyui import SimulatorConfig
from tests.api.helpers import API, body_of, error_of, get, put
from tests.integration.simulator_support import running_simulator

SERVERS = API + "/comfyui/servers"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The periodic health check runs all the time, racing every request."""
    return Settings(upload_dir=tmp_path / "uploads", data_dir=tmp_path / "data", comfyui_health_interval_s=0.01)


@pytest.fixture
async def simulators(tmp_path):
    async with running_simulator(SimulatorConfig(root=tmp_path / "a")) as a, \
            running_simulator(SimulatorConfig(root=tmp_path / "b")) as b:
        yield a, b


async def register(client, url, status=201, **fields):
    return await body_of(await client.post(SERVERS, json={"name": "gpu", "url": url, **fields}), status)


async def test_listing_probes_every_server_but_a_put_with_the_version_read_before_still_applies(client, simulators):
    server = await register(client, simulators[0].url)
    read = await get(client, f"/comfyui/servers/{server['id']}")
    for _ in range(3):
        [listed] = await get(client, "/comfyui/servers")
        assert listed["health"]["status"] == "up" and listed["version"] == read["version"]
    edited = await put(client, f"/comfyui/servers/{server['id']}", {"capacity": 2, "version": read["version"]})
    assert (edited["capacity"], edited["version"]) == (2, read["version"] + 1)
    assert edited["health"]["status"] == "up" and edited["models"]["checkpoints"]


async def test_edits_racing_health_checks_all_apply_and_only_a_stale_version_is_a_409(client, container, simulators):
    server = await register(client, simulators[0].url)
    path = f"{SERVERS}/{server['id']}"
    for round_ in range(10):
        version = (await get(client, f"/comfyui/servers/{server['id']}"))["version"]
        probes = [client.get(SERVERS) for _ in range(3)] + [container.check_servers()(models=True) for _ in range(2)]
        edit = client.put(path, json={"name": f"gpu {round_}", "version": version})
        *_, edited = await asyncio.gather(*probes, edit)
        assert (await body_of(edited))["version"] == version + 1, f"round {round_}"
    stale = await client.put(path, json={"capacity": 3, "version": version})
    assert (await error_of(stale, 409))["code"] == "CONFLICT", "the configuration did change since that version"


@pytest.mark.parametrize("spelling", ["{url}/", "{url}//", "HTTP://{host}", "http://LOCALHOST:{port}/"])
async def test_an_address_registered_in_another_spelling_is_a_409(client, simulators, spelling):
    sim = simulators[0]
    await register(client, f"http://localhost:{sim.port}")
    await register(client, f"http://127.0.0.1:{sim.port}")  # names are not resolved: another address
    url = f"http://localhost:{sim.port}"
    again = spelling.format(url=url, host=f"localhost:{sim.port}", port=sim.port)
    error = await error_of(await client.post(SERVERS, json={"name": "again", "url": again}), 409)
    assert f"already registered at http://localhost:{sim.port}" in error["message"]
    assert len(await get(client, "/comfyui/servers")) == 2


async def test_of_concurrent_registrations_of_one_address_exactly_one_is_201(client, simulators):
    url = simulators[0].url
    spellings = [url, url + "/", url.upper().replace("HTTP://", "http://"), url.replace("http", "HTTP")] * 2
    answers = await asyncio.gather(*(client.post(SERVERS, json={"name": f"gpu {i}", "url": spelled})
                                     for i, spelled in enumerate(spellings)))
    assert sorted(answer.status for answer in answers) == [201] + [409] * 7, [await a.text() for a in answers]
    assert len(await get(client, "/comfyui/servers")) == 1


async def test_moving_a_server_onto_an_address_already_registered_is_a_409(client, simulators):
    first = await register(client, simulators[0].url)
    second = await register(client, simulators[1].url, name="other")
    moved = await client.put(f"{SERVERS}/{second['id']}", json={"url": simulators[0].url + "/"})
    assert (await error_of(moved, 409))["code"] == "CONFLICT"
    back = await put(client, f"/comfyui/servers/{first['id']}", {"url": simulators[0].url.replace("http", "HTTP")})
    assert back["url"] == simulators[0].url and back["version"] == first["version"] + 1


async def test_a_paused_server_is_not_counted_as_up(client, simulators):
    paused = await register(client, simulators[0].url, capacity=3)
    await register(client, simulators[1].url, capacity=2, name="other")
    await body_of(await client.post(f"{API}/queue/pause", json={"server_id": paused["id"]}))
    status = await get(client, "/queue/status")
    assert (status["servers_up"], status["capacity"], status["paused_servers"]) == (1, 2, [paused["id"]])
    loads = {load["server_id"]: load for load in await get(client, "/queue/servers")}
    assert loads[paused["id"]]["paused"] and not loads[paused["id"]]["available"]
    assert [load["available"] for load in loads.values()].count(True) == 1
    await body_of(await client.post(f"{API}/queue/resume", json={"server_id": paused["id"]}))
    assert (await get(client, "/queue/status"))["servers_up"] == 2


async def test_an_unregistered_server_leaves_no_observation_behind(client, container, simulators):
    server = await register(client, simulators[0].url)
    await get(client, "/comfyui/servers")
    await body_of(await client.delete(f"{SERVERS}/{server['id']}"))
    status = container.database().handle["comfyui_server_status"]
    assert await status.count_documents({"server_id": server["id"]}) == 0
