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
