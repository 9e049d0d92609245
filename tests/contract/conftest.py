"""Each contract test runs against the in-memory fake and against Mongo on SecantusDB."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any
from uuid import uuid4

import pytest
from attrs import frozen

from adapters.fakes.job_store import InMemoryJobStore
from adapters.fakes.project_board_reader import InMemoryProjectBoardReader
from adapters.fakes.queue_control import InMemoryDispatchLease, InMemoryQueueSettings
from adapters.fakes.unit_of_work import InMemoryStore, InMemoryUnitOfWork
from adapters.mongo.client import Database, connect
from adapters.mongo.converter import make_document_converter
from adapters.mongo.job_store import MongoJobStore
from adapters.mongo.project_board_reader import MongoProjectBoardReader
from adapters.mongo.queue_control import MongoDispatchLease, MongoQueueSettings
from adapters.mongo.unit_of_work import MongoUnitOfWork
from application.ports.dispatch_lease import DispatchLease
from application.ports.job_store import JobStore
from application.ports.project_board_reader import ProjectBoardReader
from application.ports.queue_settings import QueueSettings
from application.ports.unit_of_work import UnitOfWork

BACKENDS = ["fake", "mongo"]


@frozen
class Backend:
    name: str
    new_uow: Callable[[], UnitOfWork]
    board_reader: ProjectBoardReader
    atomic: bool  # whether leaving without commit undoes the writes


@asynccontextmanager
async def fresh_database(secantus_url: str) -> AsyncIterator[Database]:
    """A database of its own on the session's SecantusDB, dropped afterwards."""
    database = await connect(secantus_url, f"contract_{uuid4().hex[:16]}")
    try:
        yield database
    finally:
        await database.handle.client.drop_database(database.handle.name)
        await database.close()


@pytest.fixture(params=BACKENDS)
async def backend(request: pytest.FixtureRequest, secantus_url: str) -> AsyncIterator[Backend]:
    if request.param == "fake":
        store = InMemoryStore()
        yield Backend("fake", lambda: InMemoryUnitOfWork(store), InMemoryProjectBoardReader(store), atomic=True)
        return
    async with fresh_database(secantus_url) as database:
        converter = make_document_converter()
        yield Backend(
            "mongo", lambda: MongoUnitOfWork(database.handle, converter, database.transactions),
            MongoProjectBoardReader(database.handle, converter), atomic=database.transactions,
        )


# The queue ports are shared by every API instance. Each fixture below hands out a factory of instances
# over one shared state: the fake is that state itself, Mongo gives a new adapter on the same database.

@pytest.fixture(params=BACKENDS)
async def job_stores(request: pytest.FixtureRequest, secantus_url: str) -> AsyncIterator[Callable[[], JobStore]]:
    if request.param == "fake":
        fake = InMemoryJobStore()
        yield lambda: fake
        return
    async with fresh_database(secantus_url) as database:
        converter = make_document_converter()
        yield lambda: MongoJobStore(database.handle, converter)


@pytest.fixture
def job_store(job_stores: Callable[[], JobStore]) -> JobStore:
    return job_stores()


@pytest.fixture(params=[*BACKENDS, "mongo-polling"])
async def job_feeds(request: pytest.FixtureRequest, secantus_url: str) -> AsyncIterator[Callable[[], JobStore]]:
    """As `job_stores`, and Mongo once more with changes() polling as it does where change streams are missing."""
    if request.param == "fake":
        fake = InMemoryJobStore()
        yield lambda: fake
        return
    async with fresh_database(secantus_url) as database:
        converter = make_document_converter()
        streams = request.param == "mongo"
        yield lambda: MongoJobStore(database.handle, converter, poll_interval=0.05, change_streams=streams)


async def _shared_fake_or_mongo(backend: str, secantus_url: str, fake: Any,
                                mongo: Callable[[Any], Any]) -> AsyncIterator[Callable[[], Any]]:
    """API instances over one shared state: the fake itself, or a new Mongo adapter on one fresh database."""
    if backend == "fake":
        yield lambda: fake
        return
    async with fresh_database(secantus_url) as database:
        yield lambda: mongo(database.handle)


@pytest.fixture(params=BACKENDS)
async def dispatch_leases(request: pytest.FixtureRequest,
                          secantus_url: str) -> AsyncIterator[Callable[[], DispatchLease]]:
    async for instances in _shared_fake_or_mongo(request.param, secantus_url, InMemoryDispatchLease(),
                                                 MongoDispatchLease):
        yield instances


@pytest.fixture(params=BACKENDS)
async def queue_settings(request: pytest.FixtureRequest,
                         secantus_url: str) -> AsyncIterator[Callable[[], QueueSettings]]:
    async for instances in _shared_fake_or_mongo(request.param, secantus_url, InMemoryQueueSettings(),
                                                 MongoQueueSettings):
        yield instances
