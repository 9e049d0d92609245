"""A unit of work over one client session, in a transaction where the server offers one."""

from types import TracebackType
from typing import Any, Self

from attrs import Factory, define, field
from cattrs.preconf.bson import BsonConverter
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from adapters.mongo.aggregate_guards import AggregateGuards, is_transient, lost_race
from adapters.mongo.repository import MongoRepository
from adapters.mongo.server_repository import MongoServerRepository
from application.ports.unit_of_work import Aggregate
from domain.character import Character
from domain.comfyui_server import ComfyUIServer
from domain.clip import Clip
from domain.project import Project
from domain.scene import Scene
from domain.template import Template
from domain.user_workflow import UserWorkflow
from domain.video_provider import VideoProvider

COLLECTIONS: dict[str, type] = {
    "projects": Project, "scenes": Scene, "clips": Clip, "characters": Character, "templates": Template,
    "comfyui_servers": ComfyUIServer, "workflows": UserWorkflow, "video_providers": VideoProvider,
}
COMMIT_ATTEMPTS = 3  # a commit whose outcome is unknown may be sent again; the server applies it once


@define
class MongoUnitOfWork:
    """Without transactions, writes land as they happen; version guards and aggregate claims keep them consistent.

    Transient driver errors (write conflicts, transient transactions) leave it as ConcurrentChange.
    """

    database: AsyncDatabase[dict[str, Any]]
    converter: BsonConverter
    transactions: bool = True
    _session: AsyncClientSession | None = field(default=None, init=False)
    _repositories: dict[str, Any] = field(factory=dict, init=False)
    _guards: AggregateGuards = field(
        init=False, default=Factory(lambda uow: AggregateGuards(uow.database, uow.transactions), takes_self=True)
    )

    def __getattr__(self, name: str) -> Any:
        if name not in COLLECTIONS:
            raise AttributeError(name)
        if name not in self._repositories:
            repository = MongoRepository(self.database[name], COLLECTIONS[name], self.converter, self._session)
            self._repositories[name] = MongoServerRepository(repository) if name == "comfyui_servers" else repository
        return self._repositories[name]

    async def __aenter__(self) -> Self:
        self._repositories.clear()
        self._guards = AggregateGuards(self.database, self.transactions)
        if self.transactions:
            self._session = self.database.client.start_session()
            await self._session.start_transaction()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session, self._session = self._session, None
        self._repositories.clear()
        if session is None:
            await self._guards.bump_boards(None)  # what landed before an error changed the board too
            await self._guards.release()
        else:
            if session.in_transaction:
                await session.abort_transaction()
            await session.end_session()
        if exc is not None and is_transient(exc):
            raise lost_race(exc) from exc

    async def commit(self) -> None:
        if self._session is None or not self._session.in_transaction:
            await self._guards.bump_boards(None)
            return
        try:
            await self._guards.bump_boards(self._session)
            await self._commit_transaction(self._session)
        except PyMongoError as exc:
            if is_transient(exc):
                raise lost_race(exc) from exc
            raise

    async def guard(self, aggregate: Aggregate) -> None:
        collection = "projects" if isinstance(aggregate, Project) else "scenes"
        await self._guards.guard(collection, aggregate.id, self._session)
        self.board_changed(aggregate.id if isinstance(aggregate, Project) else aggregate.project_id)

    def board_changed(self, project_id: str) -> None:
        self._guards.board_changed(project_id)

    @staticmethod
    async def _commit_transaction(session: AsyncClientSession) -> None:
        for attempt in range(1, COMMIT_ATTEMPTS + 1):
            try:
                await session.commit_transaction()
                return
            except PyMongoError as exc:
                if attempt == COMMIT_ATTEMPTS or not exc.has_error_label("UnknownTransactionCommitResult"):
                    raise
