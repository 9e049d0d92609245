"""Many clients at one board: each lost race is a 409, the board's rules hold, never a 500."""

import asyncio
from collections import Counter

import pytest
from attrs import evolve

from entrypoints.container import Container
from entrypoints.http.app import create_app
from tests.api.helpers import API, body_of, get, new_clip, new_project, new_scene


@pytest.fixture(params=["transactions", "no transactions"])
async def client(request, settings, database, aiohttp_client):
    """The app over SecantusDB with its transactions, and as over a MongoDB without (the guards alone)."""
    container = Container(settings=settings)
    container.database.override(database if request.param == "transactions" else evolve(database, transactions=False))
    return await aiohttp_client(create_app(settings, container))


async def _statuses(responses) -> Counter[int]:
    return Counter(response.status for response in responses)


async def test_eight_clips_posted_at_one_position_give_one_201_and_409s(client):
    project = await new_project(client)
    scene = await new_scene(client, project["id"])

    responses = await asyncio.gather(*[
        client.post(f"{API}/clips", json={"scene_id": scene["id"], "name": f"c{i}", "timeline_position": 0, "length": 5})
        for i in range(8)
    ])

    assert await _statuses(responses) == Counter({201: 1, 409: 7})
    for response in responses:
        if response.status == 409:
            assert (await response.json())["error"]["code"] == "CONFLICT"
    assert len(await get(client, f"/clips/scene/{scene['id']}")) == 1


async def test_eight_scenes_posted_at_once_get_dense_unique_orders(client):
    project = await new_project(client)
    for name in "abc":
        await new_scene(client, project["id"], name=name)

    responses = await asyncio.gather(*[
        client.post(f"{API}/scenes", json={"project_id": project["id"], "name": f"s{i}"}) for i in range(8)
    ])

    assert await _statuses(responses) == Counter({201: 8})
    orders = sorted(s["order"] for s in await get(client, f"/scenes/project/{project['id']}"))
    assert orders == list(range(11))
    assert sorted([(await r.json())["order"] for r in responses]) == list(range(3, 11))


async def test_ten_scenes_inserted_at_order_0_at_once_never_answer_500(client):
    project = await new_project(client)
    for name in "ab":
        await new_scene(client, project["id"], name=name)

    responses = await asyncio.gather(*[
        client.post(f"{API}/scenes", json={"project_id": project["id"], "name": f"s{i}", "order": 0})
        for i in range(10)
    ])

    statuses = await _statuses(responses)
    assert set(statuses) <= {201, 409} and statuses[201] >= 1
    orders = sorted(s["order"] for s in await get(client, f"/scenes/project/{project['id']}"))
    assert orders == list(range(2 + statuses[201]))


async def test_twenty_puts_of_one_clip_with_one_version_give_one_200_and_409s(client):
    project = await new_project(client)
    scene = await new_scene(client, project["id"])
    clip = await new_clip(client, scene["id"])

    responses = await asyncio.gather(*[
        client.put(f"{API}/clips/{clip['id']}", json={"name": f"edit {i}", "version": clip["version"]})
        for i in range(20)
    ])

    assert await _statuses(responses) == Counter({200: 1, 409: 19})
    stored = await get(client, f"/clips/{clip['id']}")
    [winner] = [await body_of(r) for r in responses if r.status == 200]
    assert stored == winner and stored["version"] == clip["version"] + 1
