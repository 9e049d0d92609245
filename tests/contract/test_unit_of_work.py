"""The UnitOfWork port: commit keeps, leaving without commit rolls back (where the store is atomic)."""

from tests.contract.test_repository import project


async def test_committed_work_is_visible_to_the_next_unit(backend):
    async with backend.new_uow() as uow:
        await uow.projects.add(project("p1"))
        await uow.commit()
    async with backend.new_uow() as uow:
        assert (await uow.projects.get("p1")).id == "p1"


async def test_work_left_without_commit_is_rolled_back(backend):
    assert backend.atomic, "SecantusDB offers transactions; the Mongo unit of work must use them"
    async with backend.new_uow() as uow:
        await uow.projects.add(project("p1"))
    async with backend.new_uow() as uow:
        assert await uow.projects.get("p1") is None


async def test_an_exception_inside_the_unit_rolls_back(backend):
    try:
        async with backend.new_uow() as uow:
            await uow.projects.add(project("p1"))
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    async with backend.new_uow() as uow:
        assert await uow.projects.listed().total() == 0
