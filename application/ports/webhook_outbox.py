"""Port: the durable outbox of webhook deliveries, shared by every API instance."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.webhook_delivery import WebhookDelivery


class WebhookOutbox(Protocol):
    async def add_all(self, deliveries: Sequence[WebhookDelivery]) -> int:
        """Store the deliveries whose id is new (an id stored already is left as it is); return how many were."""
        ...

    async def get(self, delivery_id: str) -> WebhookDelivery | None: ...

    async def claim_due(self, now: datetime, *, owner: str, until: datetime) -> WebhookDelivery | None:
        """Lease one pending delivery due by `now` whose lease is free or expired (one winner), oldest due first."""
        ...

    async def settle(self, delivery: WebhookDelivery, *, owner: str) -> bool:
        """Write `delivery` (its attempt recorded, the lease given up) if `owner` still holds its lease."""
        ...

    async def of_webhook(self, webhook_id: str, *, skip: int, limit: int) -> list[WebhookDelivery]:
        """A webhook's deliveries, newest first."""
        ...

    async def count_of_webhook(self, webhook_id: str) -> int: ...

    async def delete_of_webhook(self, webhook_id: str) -> int: ...
