"""The webhook outbox in memory, with the same claim and lease rules as Mongo."""

from collections.abc import Sequence
from datetime import datetime

from attrs import define, field

from domain.webhook_delivery import DeliveryStatus, WebhookDelivery


@define
class InMemoryWebhookOutbox:
    deliveries: dict[str, WebhookDelivery] = field(factory=dict)

    async def add_all(self, deliveries: Sequence[WebhookDelivery]) -> int:
        new = [d for d in deliveries if d.id not in self.deliveries]
        self.deliveries.update({d.id: d for d in new})
        return len(new)

    async def get(self, delivery_id: str) -> WebhookDelivery | None:
        return self.deliveries.get(delivery_id)

    async def claim_due(self, now: datetime, *, owner: str, until: datetime) -> WebhookDelivery | None:
        due = [d for d in self.deliveries.values() if d.status is DeliveryStatus.PENDING and d.next_attempt_at <= now
               and (d.lease_expires_at is None or d.lease_expires_at < now)]
        if not due:
            return None
        first = min(due, key=lambda d: (d.next_attempt_at, d.id))
        self.deliveries[first.id] = claimed = first.claimed(owner=owner, until=until)
        return claimed

    async def settle(self, delivery: WebhookDelivery, *, owner: str) -> bool:
        current = self.deliveries.get(delivery.id)
        if current is None or current.lease_owner != owner:
            return False
        self.deliveries[delivery.id] = delivery
        return True

    def _of(self, webhook_id: str) -> list[WebhookDelivery]:
        return sorted((d for d in self.deliveries.values() if d.webhook_id == webhook_id),
                      key=lambda d: (d.created_at, d.id), reverse=True)

    async def of_webhook(self, webhook_id: str, *, skip: int, limit: int) -> list[WebhookDelivery]:
        return self._of(webhook_id)[skip:skip + limit]

    async def count_of_webhook(self, webhook_id: str) -> int:
        return len(self._of(webhook_id))

    async def delete_of_webhook(self, webhook_id: str) -> int:
        doomed = [d.id for d in self._of(webhook_id)]
        for delivery_id in doomed:
            del self.deliveries[delivery_id]
        return len(doomed)
