"""The RenderJobStore port: the fake and Mongo store keep, guard, find and relay render jobs alike."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from adapters.fakes.render_job_store import InMemoryRenderJobStore
from adapters.mongo.converter import make_document_converter
from adapters.mongo.render_job_store import MongoRenderJobStore
from application.errors import Conflict
from application.ports.render_job_store import RenderJobStore
from domain.render_job import AnimaticSettings, RenderJob, RenderStatus
from tests.contract.conftest import fresh_database

T0 = datetime(2026, 3, 1, 12, 0, 0, 123000, tzinfo=UTC)
LEASE = timedelta(seconds=30)


@pytest.fixture(params=["fake", "mongo", "mongo-polling"])
async def store(request: pytest.FixtureRequest, secantus_url: str) -> AsyncIterator[RenderJobStore]:
    if request.param == "fake":
        yield InMemoryRenderJobStore()
        return
    async with fresh_database(secantus_url) as database:
        yield MongoRenderJobStore(database.handle, make_document_converter(), poll_interval=0.05,
                                  change_streams=request.param == "mongo")


def job(job_id: str, *, project: str = "p1", minutes: int = 0) -> RenderJob:
    at = T0 + timedelta(minutes=minutes)
    return RenderJob(id=job_id, project_id=project, settings=AnimaticSettings("25", 640, 360, False),
                     created_at=at, updated_at=at, lease_until=at + LEASE)


async def test_a_job_reads_back_as_it_was_written(store: RenderJobStore) -> None:
    await store.add(job("j1"))
    assert await store.get("j1") == job("j1")
    assert await store.get("nope") is None


async def test_adding_the_same_id_twice_is_a_conflict(store: RenderJobStore) -> None:
    await store.add(job("j1"))
    with pytest.raises(Conflict):
        await store.add(job("j1"))


async def test_saves_are_version_guarded(store: RenderJobStore) -> None:
    await store.add(job("j1"))
    running = await store.save(job("j1").running(0.5, now=T0, lease=LEASE))
    assert running.version == 2 and (await store.get("j1")) == running
    with pytest.raises(Conflict):
        await store.save(job("j1").failed("late", now=T0))  # written from version 1: stale


async def test_latest_and_latest_done_are_per_project_and_newest_first(store: RenderJobStore) -> None:
    for item in (job("a", minutes=0), job("b", minutes=1), job("c", minutes=2), job("x", project="p2", minutes=5)):
        await store.add(item)
    await store.save((await store.get("b")).done("projects/p1/animatics/b.mp4", 3.0, now=T0))  # type: ignore[union-attr]
    assert (await store.latest_of_project("p1")).id == "c"  # type: ignore[union-attr]
    done = await store.latest_done_of_project("p1")
    assert done is not None and done.id == "b" and done.status is RenderStatus.DONE and done.duration_s == 3.0
    assert await store.latest_done_of_project("p2") is None and await store.latest_of_project("p3") is None
    assert await store.delete_of_project("p1") == 3 and await store.latest_of_project("p1") is None


async def test_the_feed_delivers_every_write_made_after_it_opened(store: RenderJobStore) -> None:
    opened = asyncio.Event()
    seen: list[RenderJob] = []

    async def follow() -> None:
        async for item in store.changes(opened=opened.set):
            seen.append(item)
            if item.status is RenderStatus.DONE:
                return

    task = asyncio.create_task(follow())
    await asyncio.wait_for(opened.wait(), 10)
    await store.add(job("j1", minutes=1))
    running = await store.save(job("j1", minutes=1).running(0.25, now=T0 + timedelta(minutes=1), lease=LEASE))
    await asyncio.sleep(0.1)  # polling sees each write it is given time to see
    await store.save(running.done("projects/p1/animatics/j1.mp4", 2.0, now=T0 + timedelta(minutes=2)))
    await asyncio.wait_for(task, 10)
    assert [item.status for item in seen][-1] is RenderStatus.DONE
    assert {item.id for item in seen} == {"j1"}
