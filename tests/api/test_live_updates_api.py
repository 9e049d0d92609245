"""Live updates: a job's latest preview over REST, and the WebSocket's snapshot, updates and previews."""

import asyncio
import base64
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientWebSocketResponse
from aiohttp.test_utils import TestClient
from attrs import define, evolve
from dependency_injector import providers

from application.ports.job_store import JobStore
from application.ports.preview_store import JobPreview
from domain.queue_job import QueueJob
from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.api.helpers import API, body_of, error_of, get, new_clip, new_project, new_scene, post
from tests.api.fuzz_support import operation

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8 + b"\xff\xd9"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """No dispatcher: the queued jobs stay as the tests leave them (no server takes them, none is told why)."""
    return Settings(upload_dir=tmp_path / "uploads", data_dir=tmp_path / "data", queue_workers=False,
                    comfyui_health_interval_s=0)


async def queued_job(client: TestClient, project_id: str | None = None) -> dict[str, Any]:
    project_id = project_id or (await new_project(client))["id"]
    clip = await new_clip(client, (await new_scene(client, project_id))["id"], image_prompt="a lighthouse")
    return await post(client, "/queue/jobs", {"clip_id": clip["id"], "kind": "image", "model": "sdxl"}, status=202)


async def put_preview(container: Container, job: dict[str, Any], image: bytes = JPEG) -> JobPreview:
    preview = JobPreview(job_id=job["id"], project_id=job["project_id"], clip_id=job["clip_id"], image=image,
                         created_at=datetime.now(UTC))
    await container.preview_store().put(preview)
    return preview


async def subscribe(client: TestClient, project_id: str | None) -> tuple[ClientWebSocketResponse, dict[str, Any]]:
    socket = await client.ws_connect(f"{API}/ws")
    await socket.send_json({"type": "subscribe_queue", "data": {"project_id": project_id} if project_id else {}})
    snapshot = await socket.receive_json(timeout=15)
    assert snapshot["type"] == "queue_snapshot", snapshot
    return socket, snapshot["data"]


async def next_message(socket: ClientWebSocketResponse, kind: str, *, timeout: float = 5) -> dict[str, Any]:
    """The data of the next message of this kind (others are skipped)."""
    async with asyncio.timeout(timeout):
        while True:
            message = await socket.receive_json()
            if message["type"] == kind:
                return message["data"]


async def as_rest(client: TestClient, job_id: str) -> dict[str, Any]:
    """What the WebSocket must carry for a job: its REST JSON, plus `job_id`."""
    return {**await get(client, f"/queue/jobs/{job_id}"), "job_id": job_id}


# GET /queue/jobs/{job_id}/preview --------------------------------------------------------------------


async def test_the_latest_preview_is_served_as_an_uncached_jpeg(client: TestClient, container: Container) -> None:
    job = await queued_job(client)
    await put_preview(container, job, JPEG + b"first")
    await put_preview(container, job, JPEG)
    response = await client.get(f"{API}/queue/jobs/{job['id']}/preview")
    assert response.status == 200 and response.content_type == "image/jpeg"
    assert response.headers["Cache-Control"] == "no-store"
    assert await response.read() == JPEG
    doc = await (await client.get(f"{API}/openapi.json")).json()
    assert set(operation(doc, "GET", "/api/v1/queue/jobs/{job_id}/preview")["responses"]["200"]["content"]) == {
        "image/jpeg"}


async def test_a_job_without_a_preview_and_an_unknown_job_are_404s(client: TestClient) -> None:
    job = await queued_job(client)
    error = await error_of(await client.get(f"{API}/queue/jobs/{job['id']}/preview"), 404)
    assert error["code"] == "RESOURCE_NOT_FOUND" and "Preview" in error["message"]
    error = await error_of(await client.get(f"{API}/queue/jobs/{'0' * 24}/preview"), 404)
    assert error["code"] == "RESOURCE_NOT_FOUND" and error["message"].startswith("Job")


async def test_clearing_finished_jobs_removes_their_previews_only(client: TestClient, container: Container) -> None:
    finished, waiting = await queued_job(client), await queued_job(client)
    for job in (finished, waiting):
        await put_preview(container, job)
    await body_of(await client.post(f"{API}/queue/jobs/{finished['id']}/cancel"))
    assert (await body_of(await client.delete(f"{API}/queue/jobs/finished")))["deleted"] == 1
    assert (await client.get(f"{API}/queue/jobs/{finished['id']}/preview")).status == 404
    assert (await client.get(f"{API}/queue/jobs/{waiting['id']}/preview")).status == 200


async def test_deleting_a_project_removes_its_jobs_previews(client: TestClient, container: Container) -> None:
    doomed, kept = await queued_job(client), await queued_job(client)
    for job in (doomed, kept):
        await put_preview(container, job)
    await body_of(await client.delete(f"{API}/projects/{doomed['project_id']}"))
    assert await container.preview_store().latest(doomed["id"]) is None
    assert await container.preview_store().latest(kept["id"]) is not None


# The WebSocket ---------------------------------------------------------------------------------------


async def test_a_preview_reaches_the_subscribers_of_its_project_and_of_every_project(
    client: TestClient, container: Container,
) -> None:
    job, other = await queued_job(client), await queued_job(client)
    mine, _ = await subscribe(client, job["project_id"])
    theirs, _ = await subscribe(client, other["project_id"])
    everything, _ = await subscribe(client, None)
    await put_preview(container, job)
    for socket in (mine, everything):
        data = await next_message(socket, "queue_preview")
        assert set(data) == {"job_id", "clip_id", "project_id", "image"}
        assert (data["job_id"], data["clip_id"], data["project_id"]) == (job["id"], job["clip_id"], job["project_id"])
        prefix, _, encoded = data["image"].partition(",")
        assert prefix == "data:image/jpeg;base64" and base64.b64decode(encoded) == JPEG
    await put_preview(container, other)
    assert (await next_message(theirs, "queue_preview"))["job_id"] == other["id"], "the other project's came first"
    for socket in (mine, theirs, everything):
        await socket.close()


async def test_the_snapshot_and_the_updates_carry_the_jobs_rest_json(client: TestClient) -> None:
    job = await queued_job(client)
    socket, snapshot = await subscribe(client, job["project_id"])
    assert snapshot == {"project_id": job["project_id"], "jobs": [await as_rest(client, job["id"])]}
    await body_of(await client.put(f"{API}/queue/jobs/{job['id']}/priority", json={"priority": 7}))
    update = await next_message(socket, "queue_update")
    assert update == await as_rest(client, job["id"]) and update["priority"] == 7
    assert set(update) == {field.name for field in QueueJob.__attrs_attrs__} | {"job_id"}  # type: ignore[attr-defined]
    await socket.close()


# No gap between the snapshot and the feed -----------------------------------------------------------


@define
class SlowFeed:
    """A job store whose change feed takes a while to open, as on a busy replica set."""

    inner: JobStore
    delay_s: float

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def changes(self, *, opened: Callable[[], None] | None = None) -> AsyncIterator[QueueJob]:
        await asyncio.sleep(self.delay_s)
        async for job in self.inner.changes(opened=opened):
            yield job


@pytest.fixture
async def slow_feed_client(settings: Settings, container: Container, aiohttp_client: Any) -> TestClient:
    container.jobs.override(providers.Object(SlowFeed(container.jobs(), delay_s=0.5)))
    return await aiohttp_client(create_app(settings, container))


def write_after_reading(container: Container, write: Callable[[], Awaitable[None]]) -> None:
    """The snapshot query writes once, right after its read: before a lazily opened feed would be listening."""
    read = container.active_jobs()

    async def snapshot_then_write(project_id: str | None = None) -> list[QueueJob]:
        jobs = await read(project_id)
        await write()
        return jobs

    container.active_jobs.override(providers.Object(snapshot_then_write))


async def test_the_first_subscriber_misses_no_change_written_after_its_snapshot_was_read(
    slow_feed_client: TestClient, container: Container,
) -> None:
    client = slow_feed_client
    job = await queued_job(client)
    stored = await container.jobs().get(job["id"])
    assert stored is not None

    async def raise_priority() -> None:
        await container.jobs().save(evolve(stored, priority=9, updated_at=datetime.now(UTC)))

    write_after_reading(container, raise_priority)
    socket, snapshot = await subscribe(client, job["project_id"])
    assert [j["priority"] for j in snapshot["jobs"]] == [0]
    update = await next_message(socket, "queue_update", timeout=3)
    assert update["job_id"] == job["id"] and update["priority"] == 9
    await socket.close()
