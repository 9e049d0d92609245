"""Deleting a project while clients add scenes and clips to it: each insert conflicts or lands first, no orphans."""

import asyncio
from collections import Counter

import pytest
from attrs import evolve

from entrypoints.container import Container
from entrypoints.http.app import create_app
from tests.api.helpers import API, new_project, new_scene

ROUNDS = 6


@pytest.fixture(params=["transactions", "no transactions"])
async def client(request, settings, database, aiohttp_client):
    """The app over SecantusDB with its transactions, and as over a MongoDB without (the guards alone)."""
    container = Container(settings=settings)
    container.database.override(database if request.param == "transactions" else evolve(database, transactions=False))
    return await aiohttp_client(create_app(settings, container))


async def _orphans(database, project_id: str) -> int:
    return sum([await database.handle[name].count_documents({"project_id": project_id}) for name in ("scenes", "clips")])


async def test_a_project_deleted_during_scene_and_clip_inserts_leaves_no_orphans(client, database):
    statuses: Counter[int] = Counter()
    for _ in range(ROUNDS):
        project = await new_project(client)
        scene = await new_scene(client, project["id"])
        inserts = [
            *(client.post(f"{API}/scenes", json={"project_id": project["id"], "name": f"s{i}"}) for i in range(4)),
            *(client.post(f"{API}/clips", json={"scene_id": scene["id"], "name": f"c{i}", "timeline_position": 2 * i,
                                                 "length": 1}) for i in range(4)),
        ]
        deleted, *answers = await asyncio.gather(client.delete(f"{API}/projects/{project['id']}"), *inserts)
        assert deleted.status == 200, await deleted.text()
        statuses.update(answer.status for answer in answers)
        for answer in answers:
            if answer.status == 409:
                assert (await answer.json())["error"]["code"] == "CONFLICT"
        assert await _orphans(database, project["id"]) == 0
        assert (await client.get(f"{API}/projects/{project['id']}")).status == 404
    assert set(statuses) <= {201, 404, 409}, statuses
