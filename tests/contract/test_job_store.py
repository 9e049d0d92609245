"""The JobStore port: the fake and Mongo store, order, claim, guard and relay queue jobs alike."""

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from attrs import NOTHING, evolve, fields
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.errors import Conflict
from application.ports.job_store import JobFilter
from domain.generated_content import ContentKind
from domain.queue_job import JobStatus, QueueJob

T0 = datetime(2026, 3, 1, 12, 0, 0, 123000, tzinfo=UTC)  # whole milliseconds, as the system clock gives them
NOW = T0 + timedelta(hours=1)
LEASE = timedelta(seconds=30)
WORKFLOW = {"3": {"class_type": "KSampler", "inputs": {"seed": 2**40, "model": ["1", 0], "cfg": 6.5}}}
PROPERTY = settings(max_examples=30, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def job(job_id: str, *, project: str = "p1", priority: int = 0, minutes: float = 0, **changes) -> QueueJob:
    at = T0 + timedelta(minutes=minutes)
    return QueueJob(id=job_id, project_id=project, clip_id="c1", kind=ContentKind.IMAGE, model="sdxl",
                    params={"prompt": "a fox", "seed": 7}, output_node="9", created_at=at, updated_at=at,
                    priority=priority, **changes)


def claimed(pending: QueueJob, owner: str = "api-1") -> QueueJob:
    return pending.claimed(server_id="s1", owner=owner, lease=LEASE, now=NOW)


async def add(store, *jobs: QueueJob) -> None:
    await store.add_all(list(jobs), [{"job": j.id} for j in jobs])


async def running(store, job_id: str = "j1", owner: str = "api-1") -> QueueJob:
    """A stored job `owner` has claimed, as the store now holds it."""
    await add(store, job(job_id))
    assert await store.claim(job(job_id), claimed(job(job_id), owner))
    return await store.get(job_id)


# --- add_all, get, workflow -------------------------------------------------------------------------------

async def test_added_job_reads_back_with_every_field_and_its_workflow(job_store):
    full = job("j1", priority=-7, checkpoint="sdxl.safetensors", required_models=("sdxl.safetensors", "vae.pt"),
               status=JobStatus.PROCESSING, progress=42.5, server_id="s1", prompt_id="j1-2", attempt=2,
               retry_count=1, max_retries=5, excluded_servers=("s0",), not_before=T0 + timedelta(seconds=2),
               lease_owner="api-1", lease_expires_at=NOW, cancel_requested=True, batch_id="b1",
               result_url="/media/x.png", result_content_id="g1", error_message="é ✓ boom",
               waiting_reason="no server offers vae.pt", target="provider:p9", remote_id="video_123",
               started_at=T0 + timedelta(seconds=3),
               completed_at=T0 + timedelta(seconds=4), version=4,
               owner="alice", webhook_url="http://127.0.0.1:9/hooks", announced=True)  # issue 14's fields
    defaulted = [f.name for f in fields(QueueJob) if f.default is not NOTHING and getattr(full, f.name) == f.default]
    assert defaulted == [], "every field should differ from its default"
    await job_store.add_all([full, job("j2")], [WORKFLOW, {}])

    stored = await job_store.get("j1")
    assert stored == full
    for name in ("created_at", "updated_at", "not_before", "lease_expires_at", "started_at", "completed_at"):
        assert getattr(stored, name).utcoffset() == timedelta(0), name
    assert await job_store.workflow("j1") == WORKFLOW
    assert await job_store.get("j2") == job("j2")
    assert await job_store.get("missing") is None
    assert await job_store.workflow("missing") == {}


async def test_adding_nothing_is_a_no_op(job_store):
    await job_store.add_all([], [])
    assert await job_store.listed(JobFilter()).total() == 0


# --- ready, processing ------------------------------------------------------------------------------------

async def test_ready_orders_by_priority_then_age_and_caps_every_project(job_store):
    await add(job_store, job("a-old", minutes=0), job("a-new", minutes=2), job("a-urgent", priority=5, minutes=3),
              job("a-late", priority=9, minutes=9), job("b-old", project="p2", minutes=1),
              job("b-tie-y", project="p2", minutes=2), job("b-tie-x", project="p2", minutes=2))
    ready = await job_store.ready(NOW, per_project=2)
    assert [j.id for j in ready] == ["a-late", "a-urgent", "b-old", "b-tie-x"]
    assert [j.id for j in await job_store.ready(NOW, per_project=10)] == [
        "a-late", "a-urgent", "a-old", "b-old", "a-new", "b-tie-x", "b-tie-y"]


async def test_ready_windows_each_project_per_target_so_no_kind_of_job_hides_another(job_store):
    await add(job_store, *(job(f"comfy-{i}", priority=9, minutes=i) for i in range(3)),
              job("video-a", target="provider:a", minutes=5), job("video-b", target="provider:b", minutes=6),
              job("video-a2", target="provider:a", minutes=7), job("other", project="p2", target="provider:a"))
    ready = [j.id for j in await job_store.ready(NOW, per_project=1)]
    assert ready == ["comfy-0", "other", "video-a", "video-b"]


async def test_ready_windows_each_checkpoint_so_a_server_holding_one_sees_its_jobs_far_back(job_store):
    await add(job_store, *(job(f"xl-{i}", minutes=i, checkpoint="sdxl.safetensors") for i in range(5)),
              *(job(f"sd15-{i}", minutes=5 + i, checkpoint="sd15.safetensors") for i in range(2)))
    ready = [j.id for j in await job_store.ready(NOW, per_project=2)]
    assert ready == ["xl-0", "xl-1", "sd15-0", "sd15-1"]


async def test_ready_skips_jobs_not_pending_or_not_yet_due(job_store):
    await add(job_store, job("due-now", not_before=NOW), job("due-before", not_before=NOW - timedelta(seconds=1)),
              job("later", not_before=NOW + timedelta(milliseconds=1)),
              *(job(status.value, status=status) for status in JobStatus if status is not JobStatus.PENDING))
    assert {j.id for j in await job_store.ready(NOW, per_project=10)} == {"due-now", "due-before"}


def _model_ready(jobs: list[QueueJob], now: datetime, per_project: int) -> list[str]:
    due = sorted((j for j in jobs if j.status is JobStatus.PENDING and (j.not_before is None or j.not_before <= now)),
                 key=lambda j: (-j.priority, j.created_at, j.id))
    taken: Counter[tuple[str, str | None]] = Counter()
    chosen = []
    for j in due:
        taken[j.project_id, j.checkpoint] += 1
        if taken[j.project_id, j.checkpoint] <= per_project:
            chosen.append(j.id)
    return chosen


random_jobs = st.lists(st.tuples(st.sampled_from(["p1", "p2", "p3"]), st.integers(-2, 2), st.integers(0, 3),
                                 st.sampled_from(list(JobStatus)), st.one_of(st.none(), st.integers(-1, 1)),
                                 st.sampled_from([None, "sdxl.safetensors", "sd15.safetensors"])),
                       max_size=14)


@PROPERTY
@given(shapes=random_jobs, per_project=st.integers(1, 4))
async def test_ready_matches_the_model_for_any_queue(job_store, shapes, per_project):
    for project in ("p1", "p2", "p3"):  # a fresh queue for every example
        await job_store.delete_of_project(project)
    jobs = [job(f"j{i:02d}", project=project, priority=priority, minutes=minutes, status=status,
                not_before=None if due is None else NOW + timedelta(seconds=due), checkpoint=checkpoint)
            for i, (project, priority, minutes, status, due, checkpoint) in enumerate(shapes)]
    await add(job_store, *jobs)
    assert [j.id for j in await job_store.ready(NOW, per_project=per_project)] == _model_ready(jobs, NOW, per_project)


queue_steps = st.lists(st.tuples(st.sampled_from(["add", "claim", "retry", "priority", "cancel", "delete", "read"]),
                                 st.integers(0, 9), st.integers(-1, 1), st.sampled_from(["p1", "p2"])),
                       min_size=1, max_size=24)


@PROPERTY
@given(steps=queue_steps, per_project=st.integers(1, 3))
async def test_ready_matches_the_model_as_jobs_come_and_go(job_store, steps, per_project):
    """Jobs claimed, back to waiting with their old age (a retry), moved to another priority, cancelled or deleted
    between reads: every read is still the model's window (the Mongo store narrows what it reads as it goes)."""
    for project in ("p1", "p2"):
        await job_store.delete_of_project(project)
    ids: list[str] = []
    for number, (step, index, priority, project) in enumerate(steps):
        current = await job_store.get(ids[index % len(ids)]) if ids else None
        if step == "add" or current is None:
            ids.append(f"j{number:02d}")
            await add(job_store, job(ids[-1], project=project, priority=priority, minutes=index))
        elif step == "claim" and current.status is JobStatus.PENDING:
            await job_store.claim(current, claimed(current))
        elif step == "retry" and current.status is not JobStatus.PENDING:
            await job_store.save(evolve(current, status=JobStatus.PENDING, priority=priority))
        elif step == "priority" and current.status is JobStatus.PENDING:
            await job_store.save(evolve(current, priority=current.priority + priority))
        elif step == "cancel":
            await job_store.save(evolve(current, status=JobStatus.CANCELLED))
        elif step == "delete":
            await job_store.delete_of_project(current.project_id)
            ids = [i for i in ids if await job_store.get(i) is not None]
        stored = [j for j in [await job_store.get(i) for i in ids] if j is not None]
        assert [j.id for j in await job_store.ready(NOW, per_project=per_project)] == _model_ready(
            stored, NOW, per_project)
        assert await _totals(job_store) == _model_totals(stored)


def _filters() -> list[JobFilter]:
    return [JobFilter(status=status, project_id=project)
            for status in [None, *JobStatus] for project in [None, "p1", "p2"]]


async def _totals(store) -> list[int]:
    return [await store.listed(f).total() for f in _filters()]


def _model_totals(jobs: list[QueueJob]) -> list[int]:
    return [sum(1 for j in jobs if f.status in (None, j.status) and f.project_id in (None, j.project_id))
            for f in _filters()]


async def test_ready_reads_alike_however_often_it_is_read(job_store):
    await add(job_store, job("first"), job("last", minutes=600))
    for _ in range(80):  # each read of a lane sparser than its window widens the next one's range
        assert [j.id for j in await job_store.ready(NOW, per_project=5)] == ["first", "last"]


async def test_processing_lists_exactly_the_running_jobs(job_store):
    await add(job_store, *(job(status.value, status=status) for status in JobStatus))
    assert [j.id for j in await job_store.processing()] == ["processing"]


# --- claim, save ------------------------------------------------------------------------------------------

async def test_of_several_concurrent_claims_exactly_one_wins(job_store):
    await add(job_store, job("j1"))
    owners = [f"api-{n}" for n in range(6)]
    won = await asyncio.gather(*(job_store.claim(job("j1"), claimed(job("j1"), owner)) for owner in owners))
    assert won.count(True) == 1
    winner = owners[won.index(True)]
    assert await job_store.get("j1") == evolve(claimed(job("j1"), winner), version=2)
    assert [j.id for j in await job_store.ready(NOW, per_project=10)] == []


async def test_a_claimed_jobs_workflow_reads_back_as_stored_however_often(job_store):
    await job_store.add_all([job("j1")], [WORKFLOW])
    assert await job_store.claim(job("j1"), claimed(job("j1")))
    assert [await job_store.workflow("j1") for _ in range(2)] == [WORKFLOW, WORKFLOW]


async def test_a_claim_at_a_stale_version_or_of_a_job_no_longer_pending_loses(job_store):
    await add(job_store, job("j1"), job("j2", status=JobStatus.CANCELLED))
    bumped = await job_store.save(evolve(job("j1"), priority=3))
    assert not await job_store.claim(job("j1"), claimed(job("j1")))
    assert await job_store.get("j1") == bumped
    assert not await job_store.claim(job("j2"), claimed(job("j2")))
    assert not await job_store.claim(job("missing"), claimed(job("missing")))
    assert await job_store.get("missing") is None
    assert await job_store.claim(bumped, claimed(bumped))
    assert (await job_store.get("j1")).version == 3


async def test_save_bumps_the_version_and_refuses_a_stale_one(job_store):
    await add(job_store, job("j1"))
    saved = await job_store.save(evolve(job("j1"), priority=4, updated_at=NOW))
    assert saved == evolve(job("j1"), priority=4, updated_at=NOW, version=2)
    assert await job_store.get("j1") == saved
    with pytest.raises(Conflict):
        await job_store.save(evolve(job("j1"), priority=-4))
    assert await job_store.get("j1") == saved
    with pytest.raises(Conflict):
        await job_store.save(job("missing"))
    assert await job_store.get("missing") is None


async def test_totals_stay_exact_under_concurrent_claims_and_saves_from_two_instances(job_stores):
    first, second = job_stores(), job_stores()
    jobs = [job(f"j{n:02d}", project=f"p{n % 2 + 1}") for n in range(24)]
    await add(first, *jobs)
    assert await _totals(second) == _model_totals(jobs)
    claims = [store.claim(j, claimed(j, owner)) for j in jobs for store, owner in ((first, "a"), (second, "b"))]
    assert (await asyncio.gather(*claims)).count(True) == len(jobs)
    running = [await first.get(j.id) for j in jobs]
    ends = [JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED]
    outcomes = await asyncio.gather(*(store.save(evolve(j, status=ends[n % 3]))
                                      for n, j in enumerate(running) for store in (first, second)),
                                    return_exceptions=True)
    assert sum(isinstance(o, QueueJob) for o in outcomes) == len(jobs)
    assert {type(o) for o in outcomes if not isinstance(o, QueueJob)} == {Conflict}
    stored = [await second.get(j.id) for j in jobs]
    assert await _totals(first) == await _totals(second) == _model_totals(stored)
    assert await first.delete_of_project("p1") == 12
    assert await _totals(second) == _model_totals([j for j in stored if j.project_id == "p2"])


async def test_of_two_concurrent_saves_from_one_version_only_one_lands(job_store):
    await add(job_store, job("j1"))
    outcomes = await asyncio.gather(*(job_store.save(evolve(job("j1"), priority=p)) for p in (1, 2)),
                                    return_exceptions=True)
    [saved] = [o for o in outcomes if isinstance(o, QueueJob)]
    assert [type(o) for o in outcomes if not isinstance(o, QueueJob)] == [Conflict]
    assert await job_store.get("j1") == saved


# --- report_progress, renew_leases ------------------------------------------------------------------------

async def test_progress_is_recorded_for_the_owner_only_and_keeps_the_version(job_store):
    mine = await running(job_store, "j1")
    later = NOW + timedelta(seconds=5)
    await job_store.report_progress("j1", owner="api-2", progress=10.0, now=later)
    assert await job_store.get("j1") == mine
    await job_store.report_progress("j1", owner="api-1", progress=55.5, now=later)
    assert await job_store.get("j1") == evolve(mine, progress=55.5, updated_at=later)
    await job_store.save(evolve(mine, progress=60.0))  # the version did not move: the runner's copy still saves
    await job_store.report_progress("missing", owner="api-1", progress=1.0, now=later)
    assert await job_store.get("missing") is None


async def test_progress_of_a_job_no_longer_running_is_ignored(job_store):
    mine = await running(job_store, "j1")
    cancelled = await job_store.save(mine.cancelled(now=NOW))
    await job_store.report_progress("j1", owner="api-1", progress=80.0, now=NOW + timedelta(seconds=1))
    assert await job_store.get("j1") == cancelled


async def test_a_waiting_reason_is_set_and_cleared_on_pending_jobs_only_and_keeps_the_version(job_store):
    await add(job_store, job("j1"))
    mine = await running(job_store, "j2")
    later = NOW + timedelta(seconds=5)
    await job_store.set_waiting_reason("j1", "no server offers vae.pt", now=later)
    assert await job_store.get("j1") == evolve(job("j1"), waiting_reason="no server offers vae.pt", updated_at=later)
    await job_store.set_waiting_reason("j1", None, now=later + LEASE)
    assert await job_store.get("j1") == evolve(job("j1"), updated_at=later + LEASE)
    await job_store.set_waiting_reason("j2", "paused", now=later)
    assert await job_store.get("j2") == mine
    await job_store.set_waiting_reason("missing", "paused", now=later)
    assert await job_store.get("missing") is None


async def test_leases_are_renewed_for_the_owners_jobs_only(job_store):
    mine, theirs = await running(job_store, "j1", "api-1"), await running(job_store, "j2", "api-2")
    until = NOW + timedelta(minutes=2)
    await job_store.renew_leases(["j1", "j2", "missing"], owner="api-1", until=until)
    assert await job_store.get("j1") == evolve(mine, lease_expires_at=until)
    assert await job_store.get("j2") == theirs
    await job_store.renew_leases([], owner="api-1", until=until + LEASE)
    assert await job_store.get("j1") == evolve(mine, lease_expires_at=until)


# --- named finders, listings, deletes ----------------------------------------------------------------------

async def _catalogue(store) -> None:
    await add(store, job("a", minutes=1, batch_id="b1"), job("b", minutes=3, status=JobStatus.FAILED),
              job("c", minutes=2, batch_id="b1", status=JobStatus.COMPLETED), job("d", project="p2", minutes=3),
              job("e", project="p2", minutes=0, status=JobStatus.CANCELLED),
              evolve(job("f", minutes=4, status=JobStatus.PROCESSING, server_id="s1", target="provider:v1"),
                     clip_id="c2"))


def ids(jobs) -> list[str]:
    return [j.id for j in jobs]


async def test_unfinished_and_active_jobs_newest_first(job_store):
    await _catalogue(job_store)
    assert ids(await job_store.unfinished_of_project("p1")) == ["f", "a"]
    assert ids(await job_store.unfinished_of_clips(["c2"])) == ["f"]
    assert ids(await job_store.unfinished_of_clips(["c1", "c2", "zz"])) == ["f", "d", "a"]
    assert await job_store.unfinished_of_clips([]) == []
    assert ids(await job_store.unfinished_of_target("provider:v1")) == ["f"]
    assert await job_store.unfinished_of_target("provider:none") == []
    assert ids(await job_store.active(limit=10)) == ["f", "d", "a"]  # a tie in age: the larger id first
    assert ids(await job_store.active("p2", limit=10)) == ["d"]
    assert ids(await job_store.active(limit=1)) == ["f"]


async def test_jobs_of_a_project_a_batch_and_the_finished_ones(job_store):
    await _catalogue(job_store)
    assert ids(await job_store.of_project("p2")) == ["d", "e"]
    assert ids(await job_store.of_batch("b1")) == ["c", "a"]
    assert await job_store.of_batch("nobody") == []
    assert ids(await job_store.finished()) == ["b", "c", "e"]
    assert ids(await job_store.finished("p2")) == ["e"]
    assert await job_store.of_project("a") == []


async def test_a_listing_matches_every_field_given_and_pages(job_store):
    await _catalogue(job_store)
    everything = job_store.listed(JobFilter())
    assert (ids(await everything.items()), await everything.total()) == (["f", "d", "b", "c", "a", "e"], 6)
    assert ids(await everything.items(skip=1, limit=2)) == ["d", "b"]
    assert ids(await everything.items(skip=5)) == ["e"]
    assert await everything.items(skip=6, limit=1) == []
    assert ids(await job_store.listed(JobFilter(status=JobStatus.FAILED, project_id="p1")).items()) == ["b"]
    batch = job_store.listed(JobFilter(project_id="p1", batch_id="b1"))
    assert (ids(await batch.items(limit=1)), await batch.total()) == (["c"], 2)
    assert ids(await job_store.listed(JobFilter(clip_id="c2", server_id="s1")).items()) == ["f"]
    assert await job_store.listed(JobFilter(status=JobStatus.PENDING)).total() == 2
    assert await job_store.listed(JobFilter(project_id="nobody")).total() == 0


async def test_deleting_finished_jobs_keeps_one_no_longer_finished_and_takes_the_workflows(job_store):
    await _catalogue(job_store)
    assert await job_store.delete_finished(["a", "b", "c", "zz"]) == 2  # "a" is pending: it stays
    assert ids(await job_store.listed(JobFilter()).items()) == ["f", "d", "a", "e"]
    assert await job_store.get("b") is None
    assert await job_store.workflow("b") == {}
    assert await job_store.workflow("a") == {"job": "a"}
    assert await job_store.delete_finished([]) == 0


async def test_deleting_a_projects_jobs_leaves_the_others(job_store):
    await _catalogue(job_store)
    assert await job_store.delete_of_project("p2") == 2
    assert await job_store.workflow("d") == {}
    assert await job_store.delete_of_project("nobody") == 0
    assert ids(await job_store.listed(JobFilter()).items()) == ["f", "b", "c", "a"]


# --- changes ----------------------------------------------------------------------------------------------

@contextlib.asynccontextmanager
async def opened_feed(store) -> AsyncIterator[asyncio.Queue[QueueJob]]:
    """The jobs coming through `store.changes()`, from the moment it says it is open."""
    is_open, arrived = asyncio.Event(), asyncio.Queue[QueueJob]()
    feed = store.changes(opened=is_open.set)

    async def pump() -> None:
        async for job in feed:
            arrived.put_nowait(job)

    pumping = asyncio.ensure_future(pump())
    try:
        await asyncio.wait_for(is_open.wait(), timeout=5)
        yield arrived
    finally:
        pumping.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pumping  # a feed that broke raises here
        await feed.aclose()


async def _next(arrived: asyncio.Queue[QueueJob]) -> QueueJob:
    """The next job through the feed, skipping the one written before it opened (which may come through too)."""
    async with asyncio.timeout(5):
        while (job := await arrived.get()).id == "before":
            pass
    return job


async def test_changes_yield_every_job_written_once_open_by_any_instance(job_feeds):
    writer = job_feeds()
    await add(writer, job("before"))
    async with opened_feed(job_feeds()) as feed:
        await add(writer, job("j1"), job("j2"))
        assert {(j.id, j.version) for j in [await _next(feed), await _next(feed)]} == {("j1", 1), ("j2", 1)}
        # each write is awaited before the next: polling, and Mongo's update events, read the document as it is then
        assert await writer.claim(job("j1"), claimed(job("j1")))
        assert await _next(feed) == evolve(claimed(job("j1")), version=2)
        await writer.report_progress("j1", owner="api-1", progress=12.0, now=NOW + timedelta(seconds=1))
        assert (await _next(feed)).progress == 12.0
        await writer.set_waiting_reason("j2", "paused", now=NOW + timedelta(seconds=2))
        assert (await _next(feed)).waiting_reason == "paused"
        saved = await writer.save(evolve(await writer.get("j2"), priority=8))
        assert await _next(feed) == saved


async def test_changes_skip_bookkeeping_that_moves_neither_version_nor_updated_at(job_feeds):
    """A lease renewal is no change of the job's state: the next item is the next change, which carries it."""
    store = job_feeds()
    await add(store, job("before"))
    async with opened_feed(job_feeds()) as feed:
        await add(store, job("j1"))
        assert ((await _next(feed)).id, ) == ("j1", )  # each write awaited before the next, as polling needs
        assert await store.claim(job("j1"), claimed(job("j1")))
        assert (await _next(feed)).version == 2
        await store.renew_leases(["j1"], owner="api-1", until=NOW + 2 * LEASE)  # a new value: Mongo skips no-ops
        await store.report_progress("j1", owner="api-1", progress=30.0, now=NOW + timedelta(seconds=1))
        after = await _next(feed)
        assert (after.progress, after.lease_expires_at) == (30.0, NOW + 2 * LEASE)


async def test_pages_newest_first_across_the_recent_and_the_old_jobs(job_store):
    """Pages looked for among recent jobs first (the Mongo store's windows) are the same as over all jobs."""
    now = datetime.now(UTC)
    ages = {"now": timedelta(0), "seconds": timedelta(seconds=20), "minutes": timedelta(minutes=5),
            "hours": timedelta(hours=3),
            "days": timedelta(days=2), "months": timedelta(days=90), "year": timedelta(days=400)}
    jobs = [evolve(job(name), created_at=now - age, updated_at=now - age) for name, age in ages.items()]
    await job_store.add_all(jobs, [{}] * len(jobs))
    everything = job_store.listed(JobFilter())
    newest_first = list(ages)
    for skip in range(len(ages) + 1):
        for limit in (1, 2, 4):
            assert ids(await everything.items(skip=skip, limit=limit)) == newest_first[skip:skip + limit]
    assert ids(await job_store.listed(JobFilter(project_id="p1")).items(limit=3)) == newest_first[:3]
