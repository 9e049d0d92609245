"""UnitOfWork.guard and board versions, alike on the fake, on Mongo and on Mongo without transactions.

A guard bumps the version of the aggregate a unit of work changes; two units of work guarding one
aggregate never both commit. The board version goes up once per committed unit that changed the board.
"""

from collections.abc import AsyncIterator

import pytest
from attrs import evolve

from adapters.fakes.project_board_reader import InMemoryProjectBoardReader
from adapters.fakes.unit_of_work import InMemoryStore, InMemoryUnitOfWork
from adapters.mongo.converter import make_document_converter
from adapters.mongo.project_board_reader import MongoProjectBoardReader
from adapters.mongo.unit_of_work import MongoUnitOfWork
from application.errors import ConcurrentChange
from tests.contract.conftest import Backend, fresh_database
from tests.contract.test_repository import project, scene


@pytest.fixture(params=["fake", "mongo", "mongo without transactions"])
async def guarded(request: pytest.FixtureRequest, secantus_url: str) -> AsyncIterator[Backend]:
    if request.param == "fake":
        store = InMemoryStore()
        yield Backend("fake", lambda: InMemoryUnitOfWork(store), InMemoryProjectBoardReader(store), atomic=True)
        return
    async with fresh_database(secantus_url) as database:
        converter = make_document_converter()
        transactions = request.param == "mongo"
        yield Backend(request.param, lambda: MongoUnitOfWork(database.handle, converter, transactions),
                      MongoProjectBoardReader(database.handle, converter), atomic=transactions)


async def seeded(backend: Backend) -> None:
    async with backend.new_uow() as uow:
        await uow.projects.add(project("p1"))
        await uow.scenes.add(scene("s1", 0))
        await uow.commit()


async def test_a_guard_leaves_the_entity_version_alone_and_changes_the_board(guarded):
    await seeded(guarded)
    async with guarded.new_uow() as uow:
        stored = await uow.scenes.get("s1")
        await uow.guard(stored)
        await uow.guard(stored)  # again in the same unit: it holds it already
        renamed = await uow.scenes.update(evolve(stored, name="renamed"))
        await uow.commit()
    assert renamed.version == stored.version + 1
    async with guarded.new_uow() as uow:
        assert await uow.scenes.get("s1") == renamed
    assert await guarded.board_reader.board_version("p1") == 1


async def test_guarding_an_aggregate_that_is_gone_is_a_concurrent_change(guarded):
    await seeded(guarded)
    async with guarded.new_uow() as uow:
        gone = await uow.scenes.get("s1")
        await uow.scenes.delete("s1")
        await uow.commit()
    with pytest.raises(ConcurrentChange):
        async with guarded.new_uow() as uow:
            await uow.guard(gone)


async def test_units_guarding_one_aggregate_one_after_the_other_both_commit(guarded):
    await seeded(guarded)
    for _ in range(2):
        async with guarded.new_uow() as uow:
            await uow.guard(await uow.projects.get("p1"))
            await uow.commit()
    assert await guarded.board_reader.board_version("p1") == 2


async def test_two_units_guarding_one_aggregate_never_both_commit(guarded):
    await seeded(guarded)
    first, second = guarded.new_uow(), guarded.new_uow()
    committed = []
    with pytest.raises(ConcurrentChange):
        async with first:
            await first.guard(await first.scenes.get("s1"))
            async with second:
                await second.guard(await second.scenes.get("s1"))
                await second.commit()
                committed.append("second")
            await first.commit()
            committed.append("first")
    assert len(committed) <= 1


async def test_a_claim_ends_with_its_unit_of_work(guarded):
    await seeded(guarded)
    with pytest.raises(RuntimeError):
        async with guarded.new_uow() as uow:
            await uow.guard(await uow.scenes.get("s1"))
            raise RuntimeError("the use case failed")
    async with guarded.new_uow() as uow:
        await uow.guard(await uow.scenes.get("s1"))
        await uow.commit()


async def test_the_board_version_goes_up_once_per_committed_change(guarded):
    await seeded(guarded)
    before = await guarded.board_reader.board_version("p1")
    async with guarded.new_uow() as uow:
        uow.board_changed("p1")
        uow.board_changed("p1")
        await uow.commit()
    assert await guarded.board_reader.board_version("p1") == before + 1
    assert (await guarded.board_reader.board("p1")).version == before + 1


async def test_work_left_without_commit_leaves_the_board_version_where_transactions_roll_back(guarded):
    await seeded(guarded)
    before = await guarded.board_reader.board_version("p1")
    async with guarded.new_uow() as uow:
        uow.board_changed("p1")
    after = await guarded.board_reader.board_version("p1")
    assert after == before if guarded.atomic else after == before + 1  # without them, writes may have landed


async def test_updating_a_project_keeps_its_board_version(guarded):
    await seeded(guarded)
    async with guarded.new_uow() as uow:
        uow.board_changed("p1")
        await uow.commit()
    async with guarded.new_uow() as uow:
        stored = await uow.projects.get("p1")
        await uow.projects.update(evolve(stored, name="renamed"))
        await uow.commit()
    assert await guarded.board_reader.board_version("p1") == 1


async def test_the_board_version_of_an_unknown_project_is_none(guarded):
    assert await guarded.board_reader.board_version("nope") is None
