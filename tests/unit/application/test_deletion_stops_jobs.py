"""Deleting a project, scene or clip stops its jobs, and a result that comes back for it is discarded."""

import asyncio
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import pytest

from adapters.fakes.media_store import InMemoryMediaStore
from application.clips.delete_clip import DeleteClip, DeleteClipHandler
from application.projects.delete_project import DeleteProject, DeleteProjectHandler
from application.queue.enqueue_generation import EnqueueGeneration, EnqueueGenerationHandler
from application.scenes.delete_scene import DeleteScene, DeleteSceneHandler
from application.ports.generation_backend import PromptStatus
from domain.queue_job import JobStatus
from tests.unit.application.board_builder import build_board
from tests.unit.application.fakes import FakeWorld
from tests.unit.application.queue_world import add_server, add_workflow, dispatcher

URL = "http://gpu1"


async def settle() -> None:
    for _ in range(30):
        await asyncio.sleep(0)


async def chunks(data: bytes) -> AsyncIterator[bytes]:
    yield data


@pytest.fixture
async def world():
    return FakeWorld()


@pytest.fixture
async def board(world):
    """Two scenes: two clips, then one."""
    return SimpleNamespace(project=await build_board(world, [(2, 0, 0), (1, 0, 0)], characters=0))


def clips_of(world: FakeWorld, scene_index: int = 0) -> list[Any]:
    scenes = sorted(world.rows("scenes"), key=lambda scene: scene.order)
    return sorted((c for c in world.rows("clips") if c.scene_id == scenes[scene_index].id), key=lambda c: c.name)


async def running_and_waiting(world: FakeWorld) -> tuple[Any, Any]:
    """Two jobs of the board's first scene on a server of capacity 1: the first runs (held), the second waits."""
    await add_server(world, URL, capacity=1)
    model = await add_workflow(world)
    first, second = clips_of(world)
    jobs = [await world.handler(EnqueueGenerationHandler)(EnqueueGeneration(clip_id=clip.id, model=model))
            for clip in (first, second)]
    await dispatcher(world).tick()
    await settle()
    running, waiting = [await world.jobs.get(job.id) for job in jobs]
    assert (running.status, waiting.status) == (JobStatus.PROCESSING, JobStatus.PENDING)
    return running, waiting


def project_blobs(world: FakeWorld, project_id: str) -> list[str]:
    return [key for key in world.media.blobs if key.startswith(f"projects/{project_id}/")]


def interrupted(world: FakeWorld, prompt_id: str) -> bool:
    outcome = world.backend.servers[URL].finished.get(prompt_id)
    return outcome is not None and outcome.status is PromptStatus.INTERRUPTED


async def test_deleting_a_project_cancels_its_jobs_interrupts_the_running_one_and_removes_them(world, board):
    running, waiting = await running_and_waiting(world)
    deleted = await world.handler(DeleteProjectHandler)(DeleteProject(board.project.id))
    assert interrupted(world, running.prompt_id), "the running prompt is interrupted before the delete returns"
    assert (deleted.jobs, deleted.jobs_cancelled) == (2, 2)
    await settle()
    await dispatcher(world).tick()
    await settle()
    assert await world.jobs.of_project(board.project.id) == []
    assert project_blobs(world, board.project.id) == []
    assert world.backend.servers[URL].prompts.keys() == {running.prompt_id}, "the waiting job never ran"


async def test_deleting_a_clip_cancels_its_running_job_and_no_take_is_written(world, board):
    running, waiting = await running_and_waiting(world)
    deleted = await world.handler(DeleteClipHandler)(DeleteClip(running.clip_id))
    assert deleted.jobs_cancelled == 1 and interrupted(world, running.prompt_id)
    await settle()
    assert (await world.jobs.get(running.id)).status is JobStatus.CANCELLED
    assert (await world.jobs.get(waiting.id)).status is JobStatus.PENDING, "another clip's job goes on"
    assert project_blobs(world, board.project.id) == []


async def test_deleting_a_scene_cancels_the_jobs_of_its_clips(world, board):
    running, waiting = await running_and_waiting(world)
    scene_id = clips_of(world)[0].scene_id
    deleted = await world.handler(DeleteSceneHandler)(DeleteScene(scene_id))
    await settle()
    assert deleted.jobs_cancelled == 2 and interrupted(world, running.prompt_id)
    assert {(await world.jobs.get(job.id)).status for job in (running, waiting)} == {JobStatus.CANCELLED}


async def test_a_result_for_a_clip_deleted_meanwhile_is_discarded_and_the_job_ends_cancelled(world, board):
    running, _ = await running_and_waiting(world)
    del world.store.tables["clips"][running.clip_id]  # deleted by another instance that could not interrupt it
    world.backend.release(URL, running.prompt_id)
    await settle()
    job = await world.jobs.get(running.id)
    assert job.status is JobStatus.CANCELLED and "discarded" in job.error_message
    assert project_blobs(world, board.project.id) == []


class ClipVanishesWhileStoring(InMemoryMediaStore):
    """The clip is deleted between the runner's check and its filing of the take."""

    world: Any = None

    async def store_generated(self, project_id: str, clip_id: str, *args: Any, **kwargs: Any):
        stored = await super().store_generated(project_id, clip_id, *args, **kwargs)
        del self.world.store.tables["clips"][clip_id]
        return stored


async def test_a_take_stored_for_a_clip_that_vanished_before_filing_is_deleted_again():
    media = ClipVanishesWhileStoring()
    world = FakeWorld(media=media)
    media.world = world
    project = await build_board(world, [(1, 0, 0)], characters=0)
    await add_server(world, URL, hold=False)
    model = await add_workflow(world)
    job = await world.handler(EnqueueGenerationHandler)(EnqueueGeneration(clip_id=clips_of(world)[0].id, model=model))
    await dispatcher(world).tick()
    await settle()
    assert (await world.jobs.get(job.id)).status is JobStatus.CANCELLED
    assert project_blobs(world, project.id) == []


async def completed_take(world: FakeWorld, clip: Any) -> str:
    """Run a job of `clip` to completion; returns the stored take's key."""
    if URL not in world.backend.servers:
        await add_server(world, URL, hold=False)
    model = world.rows("workflows")[0].id if world.rows("workflows") else await add_workflow(world)
    job = await world.handler(EnqueueGenerationHandler)(EnqueueGeneration(clip_id=clip.id, model=model))
    await dispatcher(world).tick()
    await settle()
    assert (await world.jobs.get(job.id)).status is JobStatus.COMPLETED
    [take] = world.store.tables["clips"][clip.id].generated_images
    assert take.path in world.media.blobs
    return take.path


async def test_deleting_a_clip_deletes_its_takes_files_and_the_generated_files_named_after_it(world, board):
    clip, other = clips_of(world)
    take = await completed_take(world, clip)
    kept = await completed_take(world, other)
    orphan = await world.media.store_generated(clip.project_id, clip.id, "lost.png", chunks(b"\x89PNG\r\n\x1a\nx"),
                                               max_bytes=1000)  # stored by a runner that died before filing it
    deleted = await world.handler(DeleteClipHandler)(DeleteClip(clip.id))
    assert deleted.files == 2
    assert take not in world.media.blobs and orphan.key not in world.media.blobs
    assert kept in world.media.blobs


async def test_deleting_a_scene_deletes_its_clips_takes_files(world, board):
    first, second = clips_of(world)
    [elsewhere] = clips_of(world, 1)
    takes = [await completed_take(world, clip) for clip in (first, second)]
    kept = await completed_take(world, elsewhere)
    deleted = await world.handler(DeleteSceneHandler)(DeleteScene(first.scene_id))
    assert deleted.files == 2 and not set(takes) & set(world.media.blobs)
    assert kept in world.media.blobs
