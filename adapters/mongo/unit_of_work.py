"""A unit of work over one client session, in a transaction where the server offers one."""

from types import TracebackType
from typing import Any, Self

from attrs import define, field
from cattrs.preconf.bson import BsonConverter
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from adapters.mongo.repository import MongoRepository
from application.errors import Conflict
from domain.character import Character
from domain.comfyui_server import ComfyUIServer
from domain.clip import Clip
from domain.project import Project
from domain.scene import Scene
from domain.template import Template
from domain.user_workflow import UserWorkflow

COLLECTIONS: dict[str, type] = {
    "projects": Project, "scenes": Scene, "clips": Clip, "characters": Character, "templates": Template,
    "comfyui_servers": ComfyUIServer, "workflows": UserWorkflow,
}


@define
class MongoUnitOfWork:
    """Without transactions, writes land as they happen; version guards still keep them consistent."""

    database: AsyncDatabase[dict[str, Any]]
    converter: BsonConverter
    transactions: bool = True
    _session: AsyncClientSession | None = field(default=None, init=False)
    _repositories: dict[str, MongoRepository[Any]] = field(factory=dict, init=False)

    def __getattr__(self, name: str) -> MongoRepository[Any]:
        if name not in COLLECTIONS:
            raise AttributeError(name)
        if name not in self._repositories:
            self._repositories[name] = MongoRepository(
                self.database[name], COLLECTIONS[name], self.converter, self._session
            )
        return self._repositories[name]

    async def __aenter__(self) -> Self:
        self._repositories.clear()
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
            return
        if session.in_transaction:
            await session.abort_transaction()
        await session.end_session()

    async def commit(self) -> None:
        if self._session is None or not self._session.in_transaction:
            return
        try:
            await self._session.commit_transaction()
        except OperationFailure as exc:
            if exc.has_error_label("TransientTransactionError"):
                raise Conflict("a concurrent change touched the same data; retry") from exc
            raise
