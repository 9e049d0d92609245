"""Each contract test runs against the in-memory fake and against Mongo on SecantusDB."""

from collections.abc import AsyncIterator, Callable
from uuid import uuid4

import pytest
from attrs import frozen

from adapters.fakes.project_board_reader import InMemoryProjectBoardReader
from adapters.fakes.unit_of_work import InMemoryStore, InMemoryUnitOfWork
from adapters.mongo.client import connect
from adapters.mongo.converter import make_document_converter
from adapters.mongo.project_board_reader import MongoProjectBoardReader
from adapters.mongo.unit_of_work import MongoUnitOfWork
from application.ports.project_board_reader import ProjectBoardReader
from application.ports.unit_of_work import UnitOfWork


@frozen
class Backend:
    name: str
    new_uow: Callable[[], UnitOfWork]
    board_reader: ProjectBoardReader
    atomic: bool  # whether leaving without commit undoes the writes


@pytest.fixture(params=["fake", "mongo"])
async def backend(request: pytest.FixtureRequest, secantus_url: str) -> AsyncIterator[Backend]:
    if request.param == "fake":
        store = InMemoryStore()
        yield Backend("fake", lambda: InMemoryUnitOfWork(store), InMemoryProjectBoardReader(store), atomic=True)
        return
    database = await connect(secantus_url, f"contract_{uuid4().hex[:16]}")
    converter = make_document_converter()
    yield Backend(
        "mongo", lambda: MongoUnitOfWork(database.handle, converter, database.transactions),
        MongoProjectBoardReader(database.handle, converter), atomic=database.transactions,
    )
    await database.handle.client.drop_database(database.handle.name)
    await database.close()
