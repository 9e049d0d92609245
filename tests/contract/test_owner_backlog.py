"""The OwnerBacklog port: an owner's waiting jobs, counted alike in memory and on Mongo."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from attrs import evolve

from adapters.fakes.job_store import InMemoryJobStore
from adapters.fakes.owner_backlog import InMemoryOwnerBacklog
from adapters.mongo.converter import make_document_converter
from adapters.mongo.job_store import MongoJobStore
from adapters.mongo.owner_backlog import MongoOwnerBacklog
from domain.generated_content import ContentKind
from domain.queue_job import JobStatus, QueueJob
from tests.contract.conftest import BACKENDS, fresh_database

NOW = datetime(2026, 5, 1, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
async def backlog(request: pytest.FixtureRequest, secantus_url: str) -> AsyncIterator[tuple[Any, Any]]:
    if request.param == "fake":
        store = InMemoryJobStore()
        yield store, InMemoryOwnerBacklog(store)
        return
    async with fresh_database(secantus_url) as database:
        yield MongoJobStore(database.handle, make_document_converter()), MongoOwnerBacklog(database.handle)


def job(job_id: str, owner: str | None, status: JobStatus = JobStatus.PENDING) -> QueueJob:
    return QueueJob(id=job_id, project_id="p", clip_id="c", kind=ContentKind.IMAGE, model="m", params={},
                    output_node="9", created_at=NOW, updated_at=NOW, owner=owner, status=status)


async def test_only_an_owners_waiting_jobs_count(backlog):
    store, owners = backlog
    jobs = [job("a1", "alice"), job("a2", "alice"), job("a3", "alice", JobStatus.PROCESSING),
            job("a4", "alice", JobStatus.COMPLETED), job("b1", "bob"), job("n1", None)]
    await store.add_all(jobs, [{}] * len(jobs))
    counts = [await owners.waiting_of(owner) for owner in ("alice", "bob", "carol")]
    assert counts == [2, 1, 0]
    await store.save(evolve((await store.get("a1")).cancelled(now=NOW)))
    assert await owners.waiting_of("alice") == 1
