"""A unit of work over one client session, in a transaction where the server offers one."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any, Self, TypeVar

from attrs import Factory, define, field
from cattrs.preconf.bson import BsonConverter
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from adapters.entity_repositories import (
    Characters,
    Clips,
    ComfyUIServers,
    Projects,
    Scenes,
    Templates,
    VideoProviders,
    Workflows,
)
from adapters.mongo.aggregate_guards import AggregateGuards, is_transient, lost_race
from adapters.mongo.project_rows import ProjectRows
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

T = TypeVar("T")
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
    _guards: AggregateGuards = field(
        init=False, default=Factory(lambda uow: AggregateGuards(uow.database, uow.transactions), takes_self=True)
    )
    # Bound to the unit's session on enter (see _bind); usable, without a session, before.
    projects: Projects = field(init=False)
    scenes: Scenes = field(init=False)
    clips: Clips = field(init=False)
    characters: Characters = field(init=False)
    templates: Templates = field(init=False)
    comfyui_servers: ComfyUIServers = field(init=False)
    workflows: Workflows = field(init=False)
    video_providers: VideoProviders = field(init=False)

    def __attrs_post_init__(self) -> None:
        self._bind()

    def _bind(self) -> None:
        self.projects = Projects(ProjectRows(self.database["projects"], Project, self.converter, self._session,
                                             deleted=self._guards.board_deleted))
        self.scenes = Scenes(self._rows("scenes", Scene))
        self.clips = Clips(self._rows("clips", Clip))
        self.characters = Characters(self._rows("characters", Character))
        self.templates = Templates(self._rows("templates", Template))
        self.comfyui_servers = ComfyUIServers(MongoServerRepository(self._rows("comfyui_servers", ComfyUIServer)))
        self.workflows = Workflows(self._rows("workflows", UserWorkflow))
        self.video_providers = VideoProviders(self._rows("video_providers", VideoProvider))

    def _rows(self, collection: str, entity: type[T]) -> MongoRepository[T]:
        return MongoRepository(self.database[collection], entity, self.converter, self._session)

    async def __aenter__(self) -> Self:
        self._guards = AggregateGuards(self.database, self.transactions)
        if self.transactions:
            self._session = self.database.client.start_session()
            await self._session.start_transaction()
        self._bind()
        return self

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Self]:
        yield self  # outside a unit the repositories are bound to no session: each read on its own

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session, self._session = self._session, None
        self._bind()
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
