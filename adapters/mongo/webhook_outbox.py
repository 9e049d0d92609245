"""The webhook outbox in `webhook_deliveries`: one document per message and receiver, claimed under a lease."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import attrs
from attrs import define, field
from cattrs.preconf.bson import BsonConverter
from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from adapters.mongo.webhook_documents import DELIVERIES, make_webhook_converter
from domain.webhook_delivery import DeliveryStatus, WebhookDelivery

DUPLICATE_KEY = 11000
CLAIM_CANDIDATES = 20  # due deliveries looked at per claim (those leased by other instances are passed over)


@define
class MongoWebhookOutbox:
    database: AsyncDatabase[dict[str, Any]]
    converter: BsonConverter = field(factory=make_webhook_converter)

    @property
    def _deliveries(self):  # type: ignore[no-untyped-def]
        return self.database[DELIVERIES]

    def _load(self, document: dict[str, Any]) -> WebhookDelivery:
        with attrs.validators.disabled():
            return self.converter.structure(document, WebhookDelivery)

    async def add_all(self, deliveries: Sequence[WebhookDelivery]) -> int:
        if not deliveries:
            return 0
        try:
            result = await self._deliveries.insert_many([self.converter.unstructure(d) for d in deliveries],
                                                        ordered=False)
            return len(result.inserted_ids)
        except BulkWriteError as exc:  # the ids stored already (another instance announced the same event)
            if any(error["code"] != DUPLICATE_KEY for error in exc.details["writeErrors"]):
                raise
            return exc.details["nInserted"]

    async def get(self, delivery_id: str) -> WebhookDelivery | None:
        document = await self._deliveries.find_one({"_id": delivery_id})
        return None if document is None else self._load(document)

    async def claim_due(self, now: datetime, *, owner: str, until: datetime) -> WebhookDelivery | None:
        """The earliest due delivery whose lease is free: candidates read on the (status, next_attempt_at) index,
        each claimed by an update_one guarded on its lease (SecantusDB's findAndModify scans the collection)."""
        candidates = await self._deliveries.find(
            {"status": DeliveryStatus.PENDING.value, "next_attempt_at": {"$lte": now}},
            sort=[("next_attempt_at", ASCENDING), ("_id", ASCENDING)], limit=CLAIM_CANDIDATES).to_list()
        for document in candidates:
            if document.get("lease_expires_at") is not None and document["lease_expires_at"] >= now:
                continue  # another instance is delivering it
            claimed = await self._deliveries.update_one(
                {"_id": document["_id"], "status": DeliveryStatus.PENDING.value, "next_attempt_at": {"$lte": now},
                 "$or": [{"lease_expires_at": None}, {"lease_expires_at": {"$lt": now}}]},
                {"$set": {"lease_owner": owner, "lease_expires_at": until}})
            if claimed.modified_count == 1:  # read again: it may have been attempted since the candidates' read
                return await self.get(document["_id"])
        return None

    async def settle(self, delivery: WebhookDelivery, *, owner: str) -> bool:
        result = await self._deliveries.replace_one({"_id": delivery.id, "lease_owner": owner},
                                                    self.converter.unstructure(delivery))
        return result.matched_count == 1

    async def of_webhook(self, webhook_id: str, *, skip: int, limit: int) -> list[WebhookDelivery]:
        cursor = self._deliveries.find({"webhook_id": webhook_id}, skip=skip, limit=limit,
                                       sort=[("created_at", DESCENDING), ("_id", DESCENDING)])
        return [self._load(document) for document in await cursor.to_list()]

    async def count_of_webhook(self, webhook_id: str) -> int:
        return await self._deliveries.count_documents({"webhook_id": webhook_id})

    async def delete_of_webhook(self, webhook_id: str) -> int:
        return (await self._deliveries.delete_many({"webhook_id": webhook_id})).deleted_count
