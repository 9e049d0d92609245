"""Indexes an older version created and a compound one replaced are dropped at start-up, so no write keeps them."""

import asyncio

from adapters.mongo.indexes import OBSOLETE, create_indexes


async def test_an_obsolete_index_is_dropped_and_the_current_ones_are_kept(database):
    jobs = database.handle["queue_jobs"]
    await jobs.create_index([("batch_id", 1)])  # as versions before the (batch_id, status) index made it
    await create_indexes(database.handle)
    names = {index["name"] async for index in await jobs.list_indexes()}
    assert not names & set(OBSOLETE["queue_jobs"])
    assert {"batch_id_1_status_1", "announced_1_status_1_completed_at_1"} <= names
    await create_indexes(database.handle)  # again, as every start does: nothing left to drop, no error


async def test_instances_starting_side_by_side_both_drop_an_obsolete_index_without_failing(database):
    await database.handle["queue_jobs"].create_index([("batch_id", 1)])
    await asyncio.gather(*(create_indexes(database.handle) for _ in range(3)))  # all but one find it gone
    names = {index["name"] async for index in await database.handle["queue_jobs"].list_indexes()}
    assert "batch_id_1" not in names


async def test_lanes_of_a_database_older_than_lanes_by_checkpoint_are_built_anew(database):
    """Lanes written before they were kept by checkpoint (no `checkpoint`, the older marker) are replaced by
    lanes by checkpoint at the first read, and every waiting job is in the window again."""
    from datetime import UTC, datetime, timedelta

    from adapters.mongo.converter import make_document_converter
    from adapters.mongo.job_store import MongoJobStore
    from domain.generated_content import ContentKind
    from domain.queue_job import QueueJob

    at = datetime(2026, 3, 1, 12, tzinfo=UTC)
    jobs = [QueueJob(id=f"j{i}", project_id="p1", clip_id="c1", kind=ContentKind.IMAGE, model="sdxl", params={},
                     output_node="9", created_at=at + timedelta(seconds=i), updated_at=at,
                     checkpoint=("sdxl.safetensors", "sd15.safetensors")[i % 2]) for i in range(4)]
    await MongoJobStore(database.handle, make_document_converter()).add_all(jobs, [{}] * 4)
    lanes = database.handle["queue_lanes"]
    await lanes.delete_many({})  # as the older version kept them: one lane per (project, target, priority)
    await lanes.insert_many([{"_id": "p1\x1f\x1f0", "project_id": "p1", "target": None, "priority": 0,
                              "head": at, "tail": at + timedelta(seconds=3)}, {"_id": "_built", "at": at}])
    fresh = MongoJobStore(database.handle, make_document_converter())  # a new instance, started on that database
    assert sorted(job.id for job in await fresh.ready(at + timedelta(hours=1), per_project=10)) == [
        "j0", "j1", "j2", "j3"]
    assert {lane.get("checkpoint") async for lane in lanes.find({"priority": 0})} == {
        "sdxl.safetensors", "sd15.safetensors"}
