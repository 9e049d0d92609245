"""With authentication on, a queued job records its owner (the credential's subject), who may have at most
QUEUE_MAX_PENDING_PER_OWNER jobs waiting (429 beyond it); other owners are not held back."""

from pathlib import Path

import pytest
from attrs import evolve

from entrypoints.container import Container
from entrypoints.http.app import create_app

from entrypoints.settings import Settings
from tests.api.auth_support import auth_settings, bearer, token
from tests.api.helpers import API, body_of, error_of



def alice() -> dict[str, str]:
    return bearer(token("editor", sub="alice"))  # minted when used: a token made at import could expire


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return auth_settings(tmp_path, queue_max_pending_per_owner=3)


async def created(client, path, body):
    return await body_of(await client.post(f"{API}{path}", json=body, headers=alice()), 201)


async def generate(client, headers, clip_id):
    return await client.post(f"{API}/generation", json={"clip_id": clip_id, "model": "sdxl"}, headers=headers)


async def test_an_owner_past_the_cap_is_refused_429_while_another_still_queues(client):
    project = await created(client, "/projects", {"name": "P"})
    scene = await created(client, "/scenes", {"project_id": project["id"], "name": "S"})
    clip = await created(client, "/clips", {"scene_id": scene["id"], "name": "C"})
    first = await body_of(await generate(client, alice(), clip["id"]), 202)
    assert first["owner"] == "alice"
    batch = {"clip_ids": [clip["id"]] * 1, "model": "sdxl"}
    await body_of(await client.post(f"{API}/generation/batch", json=batch, headers=alice()), 202)
    await body_of(await generate(client, alice(), clip["id"]), 202)
    error = await error_of(await generate(client, alice(), clip["id"]), 429)
    assert "QUEUE_MAX_PENDING_PER_OWNER" in error["message"] and error["code"] == "RATE_LIMITED"
    bob = bearer(token("editor", sub="bob"))
    assert (await body_of(await generate(client, bob, clip["id"]), 202))["owner"] == "bob"
    await body_of(await client.post(f"{API}/queue/jobs/{first['id']}/cancel", headers=alice()))
    await body_of(await generate(client, alice(), clip["id"]), 202)  # one left the queue: room again


async def test_without_authentication_jobs_record_no_owner_and_are_not_capped(settings, database, aiohttp_client):
    open_settings = evolve(settings, auth_api_keys=(), auth_jwt_secret=None)
    container = Container(settings=open_settings)
    container.database.override(database)
    client = await aiohttp_client(create_app(open_settings, container))
    project = await body_of(await client.post(f"{API}/projects", json={"name": "P"}), 201)
    scene = await body_of(await client.post(f"{API}/scenes", json={"project_id": project["id"], "name": "S"}), 201)
    clip = await body_of(await client.post(f"{API}/clips", json={"scene_id": scene["id"], "name": "C"}), 201)
    jobs = [await body_of(await generate(client, {}, clip["id"]), 202) for _ in range(5)]
    assert {job["owner"] for job in jobs} == {None}
