"""Plain async helpers shared by the API tests: create entities, read them, check error envelopes."""

from datetime import UTC, datetime
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from domain.generated_content import ContentKind, GeneratedContent
from entrypoints.container import Container

API = "/api/v1"


async def body_of(response: ClientResponse, status: int = 200) -> Any:
    """The JSON body, once the status is the expected one."""
    assert response.status == status, f"{response.status} != {status}: {await response.text()}"
    return await response.json()


async def error_of(response: ClientResponse, status: int) -> dict[str, Any]:
    """The `error` of the standard envelope, once the status is the expected one."""
    body = await body_of(response, status)
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


async def expect_not_found(client: TestClient, path: str) -> None:
    error = await error_of(await client.get(API + path), 404)
    assert error["code"] == "RESOURCE_NOT_FOUND"


async def get(client: TestClient, path: str) -> Any:
    return await body_of(await client.get(API + path))


async def post(client: TestClient, path: str, json: Any = None, status: int = 201) -> Any:
    return await body_of(await client.post(API + path, json=json), status)


async def put(client: TestClient, path: str, json: Any) -> Any:
    return await body_of(await client.put(API + path, json=json))


async def delete(client: TestClient, path: str) -> Any:
    return await body_of(await client.delete(API + path))


async def new_project(client: TestClient, **fields: Any) -> dict[str, Any]:
    return await post(client, "/projects", {"name": "Song video", **fields})


async def new_scene(client: TestClient, project_id: str, **fields: Any) -> dict[str, Any]:
    return await post(client, "/scenes", {"project_id": project_id, "name": "Scene", **fields})


async def new_clip(client: TestClient, scene_id: str, **fields: Any) -> dict[str, Any]:
    return await post(client, "/clips", {"scene_id": scene_id, "name": "Clip", **fields})


async def new_character(client: TestClient, **fields: Any) -> dict[str, Any]:
    return await post(client, "/characters", {"name": "Mira", **fields})


async def new_template(client: TestClient, **fields: Any) -> dict[str, Any]:
    return await post(client, "/templates", {"name": "Template", **fields})


async def scene_orders(client: TestClient, project_id: str) -> list[tuple[str, int]]:
    """(name, order) of a project's scenes as listed."""
    return [(s["name"], s["order"]) for s in await get(client, f"/scenes/project/{project_id}")]


async def add_takes(container: Container, clip_id: str, *urls: str,
                    kind: ContentKind = ContentKind.IMAGE) -> list[str]:
    """Store generated takes in a clip's gallery, as the generation pipeline would; return their ids."""
    now = datetime.now(UTC).replace(microsecond=0)
    ids = [f"{kind.value}-{index}-{clip_id}" for index, _ in enumerate(urls)]
    uow = container.uow()
    async with uow:
        clip = await uow.clips.get(clip_id)
        assert clip is not None
        for content_id, url in zip(ids, urls, strict=True):
            content = GeneratedContent(id=content_id, kind=kind, url=url, created_at=now, model="flux", seed=7)
            clip = clip.with_content(content, now=now)
        await uow.clips.update(clip)
        uow.board_changed(clip.project_id)
        await uow.commit()
    return ids


def is_iso_datetime(value: Any) -> bool:
    return isinstance(value, str) and datetime.fromisoformat(value).tzinfo is not None


async def api_instances(settings: Any, database: Any, aiohttp_client: Any, count: int = 2) -> list[TestClient]:
    """`count` API instances (each its own container and app) on one database, as behind a proxy."""
    from entrypoints.http.app import (
        create_app,  # the app imports much; only tests of several instances need it
    )

    instances = []
    for _ in range(count):
        container = Container(settings=settings)
        container.database.override(database)
        instances.append(await aiohttp_client(create_app(settings, container)))
    return instances
