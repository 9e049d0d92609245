"""The Mongo job store's kept counts: built once on a database older than them, folded while jobs move, and kept
without transactions too; every total equals a count of the jobs themselves."""

import asyncio
from datetime import UTC, datetime, timedelta

from attrs import evolve

from adapters.mongo import job_counts
from adapters.mongo.converter import make_document_converter
from adapters.mongo.job_store import MongoJobStore
from application.ports.job_store import JobFilter
from domain.generated_content import ContentKind
from domain.queue_job import JobStatus, QueueJob

AT = datetime(2026, 3, 1, 12, tzinfo=UTC)


def jobs(count: int, *, prefix: str = "j") -> list[QueueJob]:
    return [QueueJob(id=f"{prefix}{n:03d}", project_id=f"p{n % 3}", clip_id="c1", kind=ContentKind.IMAGE,
                     model="sdxl", params={}, output_node="9", created_at=AT + timedelta(seconds=n), updated_at=AT)
            for n in range(count)]


def store(database, **options) -> MongoJobStore:
    return MongoJobStore(database.handle, make_document_converter(), **options)


async def counted(database) -> dict[str, int]:
    """Totals from the jobs themselves, by the filters the kept counts answer."""
    raw = database.handle["queue_jobs"]
    totals = {"all": await raw.count_documents({})}
    for status in JobStatus:
        totals[status.value] = await raw.count_documents({"status": status.value})
        totals[f"p1/{status.value}"] = await raw.count_documents({"status": status.value, "project_id": "p1"})
    return totals


async def kept(job_store: MongoJobStore) -> dict[str, int]:
    totals = {"all": await job_store.listed(JobFilter()).total()}
    for status in JobStatus:
        totals[status.value] = await job_store.listed(JobFilter(status=status)).total()
        totals[f"p1/{status.value}"] = await job_store.listed(JobFilter(status=status, project_id="p1")).total()
    return totals


async def test_counts_of_a_database_with_jobs_from_before_them_are_built_at_the_first_total(database):
    older = store(database)
    await older.add_all(jobs(30), [{}] * 30)
    await older.save(evolve((await older.get("j004")), status=JobStatus.FAILED))
    for collection in ("queue_counts", "queue_count_moves"):  # as a version before the kept counts left it
        await database.handle.drop_collection(collection)
    newer = [store(database) for _ in range(3)]
    assert await asyncio.gather(*(kept(s) for s in newer)) == [await counted(database)] * 3  # built side by side


async def test_totals_stay_exact_while_moves_are_folded_beside_claims(database, monkeypatch):
    monkeypatch.setattr(job_counts, "FOLD_AT", 5)
    first, second = store(database), store(database)
    queued = jobs(60)
    await first.add_all(queued, [{}] * len(queued))

    async def claim(job: QueueJob) -> None:
        owner = first if job.id < "j030" else second
        await owner.claim(job, job.claimed(server_id="s1", owner="api", lease=timedelta(seconds=30), now=AT))

    async def read_totals() -> None:
        for _ in range(8):
            await kept(first)
            await second.counts.fold()
    await asyncio.gather(*(claim(job) for job in queued), read_totals())
    assert await kept(first) == await kept(second) == await counted(database)
    await second.counts.fold()
    assert await database.handle["queue_count_moves"].count_documents({}) == 0
    assert await kept(first) == await counted(database)


async def test_without_transactions_every_write_still_moves_its_count_and_folds_once(database, monkeypatch):
    monkeypatch.setattr(job_counts, "FOLD_AT", 3)
    job_store, beside = store(database, transactions=False), store(database, transactions=False)
    assert (await kept(job_store))["all"] == 0  # built on the empty database: without transactions, not beside writes
    queued = jobs(12)
    await job_store.add_all(queued, [{}] * 12)
    for job in queued[:6]:
        assert await job_store.claim(job, job.claimed(server_id="s1", owner="api", lease=timedelta(1), now=AT))
    for job_id in ("j000", "j001"):
        await job_store.save(evolve(await job_store.get(job_id), status=JobStatus.COMPLETED))
    assert await job_store.delete_finished(["j000", "j002"]) == 1  # j002 still runs
    await asyncio.gather(job_store.counts.fold(), beside.counts.fold(), kept(beside))
    assert await kept(job_store) == await kept(beside) == await counted(database)
