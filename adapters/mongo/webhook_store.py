"""Webhooks in the `webhooks` collection, version-guarded."""

from typing import Any

import attrs
from attrs import define, evolve, field
from cattrs.preconf.bson import BsonConverter
from pymongo.asynchronous.database import AsyncDatabase

from adapters.mongo.webhook_documents import WEBHOOKS, make_webhook_converter
from application.errors import Conflict
from domain.webhook import Webhook


@define
class MongoWebhookStore:
    database: AsyncDatabase[dict[str, Any]]
    converter: BsonConverter = field(factory=make_webhook_converter)

    def _load(self, document: dict[str, Any]) -> Webhook:
        with attrs.validators.disabled():  # validated when written
            return self.converter.structure(document, Webhook)

    async def add(self, webhook: Webhook) -> None:
        await self.database[WEBHOOKS].insert_one(self.converter.unstructure(webhook))

    async def get(self, webhook_id: str) -> Webhook | None:
        document = await self.database[WEBHOOKS].find_one({"_id": webhook_id})
        return None if document is None else self._load(document)

    async def all(self) -> list[Webhook]:
        documents = await self.database[WEBHOOKS].find({}, sort=[("created_at", 1), ("_id", 1)]).to_list()
        return [self._load(document) for document in documents]

    async def update(self, webhook: Webhook) -> Webhook:
        saved = evolve(webhook, version=webhook.version + 1)
        result = await self.database[WEBHOOKS].replace_one({"_id": webhook.id, "version": webhook.version},
                                                           self.converter.unstructure(saved))
        if result.matched_count != 1:
            raise Conflict(f"webhook {webhook.id} was changed meanwhile; reload and retry")
        return saved

    async def delete(self, webhook_id: str) -> bool:
        return (await self.database[WEBHOOKS].delete_one({"_id": webhook_id})).deleted_count == 1
