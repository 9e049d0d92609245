"""The Mongo job store's kept counts: built once on a database older than them (and again after a builder died),
kept by concurrent writers; every total equals a count of the jobs themselves."""

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
    await database.handle.drop_collection("queue_counts")  # as a version before the kept counts left it
    newer = [store(database) for _ in range(3)]
    assert await asyncio.gather(*(kept(s) for s in newer)) == [await counted(database)] * 3  # built side by side


async def test_totals_stay_exact_while_three_instances_claim_and_save_beside_reads(database):
    stores = [store(database) for _ in range(3)]
    queued = jobs(30)
    await stores[0].add_all(queued, [{}] * 30)

    async def work(job: QueueJob) -> None:
        claimer = stores[int(job.id[1:]) % 3]
        claimed = job.claimed(server_id="s1", owner="api", lease=timedelta(1), now=AT)
        assert await claimer.claim(job, claimed)
        ended = JobStatus.COMPLETED if int(job.id[1:]) % 2 else JobStatus.FAILED
        await claimer.save(evolve(await claimer.get(job.id), status=ended))
    await asyncio.gather(*(work(job) for job in queued), *(kept(s) for s in stores))
    assert await asyncio.gather(*(kept(s) for s in stores)) == [await counted(database)] * 3
    assert await stores[1].delete_finished([job.id for job in queued[:10]]) == 10
    assert await kept(stores[2]) == await counted(database)


async def test_a_build_left_by_a_dead_builder_is_taken_over_once_stale(database):
    older = store(database)
    await older.add_all(jobs(6), [{}] * 6)
    await database.handle.drop_collection("queue_counts")
    await database.handle["queue_counts"].insert_one(
        {"_id": job_counts.BUILT, "building": "dead", "since": datetime.now(UTC) - timedelta(minutes=1)})
    newer = store(database)
    assert await newer.counts.total(None, None) is None  # being built: the caller counts the jobs
    assert (await kept(newer))["all"] == 6
    await database.handle["queue_counts"].update_one(
        {"_id": job_counts.BUILT}, {"$set": {"since": datetime.now(UTC) - job_counts.BUILD_STALE * 2}})
    assert await newer.counts.total(None, None) == 6
    assert await kept(newer) == await counted(database)
