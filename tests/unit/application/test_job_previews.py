"""Previews follow their jobs: read through a query, removed with the jobs that go; the live view's active jobs."""

from datetime import UTC, datetime

import pytest

from application.errors import NotFound
from application.ports.preview_store import JobPreview
from application.queue.previews import GetJobPreview
from application.queue.queries import ListActiveJobs
from application.queue.queue_admin import ClearFinished
from domain.generated_content import ContentKind
from domain.queue_job import JobStatus, QueueJob
from tests.unit.application.fakes import FakeWorld

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def job(job_id: str, status: JobStatus, project_id: str = "p1") -> QueueJob:
    return QueueJob(id=job_id, project_id=project_id, clip_id=f"clip-{job_id}", kind=ContentKind.IMAGE, model="sdxl",
                    params={}, output_node="9", created_at=NOW, updated_at=NOW, status=status)


def preview(job_id: str) -> JobPreview:
    return JobPreview(job_id=job_id, project_id="p1", clip_id=f"clip-{job_id}", image=b"\xff\xd8" + job_id.encode(),
                      created_at=NOW)


async def world_with(*jobs: QueueJob) -> FakeWorld:
    world = FakeWorld()
    await world.jobs.add_all(jobs, [{} for _ in jobs])
    for queued in jobs:
        await world.previews.put(preview(queued.id))
    return world


async def test_clearing_finished_jobs_removes_exactly_their_previews() -> None:
    world = await world_with(job("done", JobStatus.COMPLETED), job("failed", JobStatus.FAILED),
                             job("running", JobStatus.PROCESSING), job("elsewhere", JobStatus.COMPLETED, "p2"))
    cleared = await world.handler(ClearFinished)(project_id="p1")
    assert cleared.deleted == 2
    assert sorted(world.previews.previews) == ["elsewhere", "running"]
    assert sorted(world.jobs.jobs) == ["elsewhere", "running"]


async def test_the_latest_preview_is_read_and_a_missing_one_names_what_is_missing() -> None:
    world = await world_with(job("running", JobStatus.PROCESSING))
    await world.jobs.add_all([job("waiting", JobStatus.PENDING)], [{}])
    read = world.handler(GetJobPreview)
    assert await read("running") == preview("running")
    with pytest.raises(NotFound, match="Preview of job"):
        await read("waiting")
    with pytest.raises(NotFound, match="^Job"):
        await read("nothing")


async def test_the_active_jobs_are_the_waiting_and_running_ones_of_the_project() -> None:
    world = await world_with(job("waiting", JobStatus.PENDING), job("running", JobStatus.PROCESSING),
                             job("done", JobStatus.COMPLETED), job("theirs", JobStatus.PENDING, "p2"))
    active = world.handler(ListActiveJobs)
    assert sorted(j.id for j in await active("p1")) == ["running", "waiting"]
    assert sorted(j.id for j in await active(None)) == ["running", "theirs", "waiting"]
