"""Webhooks in memory."""

from attrs import define, evolve, field

from application.errors import Conflict
from domain.webhook import Webhook


@define
class InMemoryWebhookStore:
    webhooks: dict[str, Webhook] = field(factory=dict)

    async def add(self, webhook: Webhook) -> None:
        self.webhooks[webhook.id] = webhook

    async def get(self, webhook_id: str) -> Webhook | None:
        return self.webhooks.get(webhook_id)

    async def all(self) -> list[Webhook]:
        return sorted(self.webhooks.values(), key=lambda w: (w.created_at, w.id))

    async def update(self, webhook: Webhook) -> Webhook:
        current = self.webhooks.get(webhook.id)
        if current is None or current.version != webhook.version:
            raise Conflict(f"webhook {webhook.id} was changed meanwhile; reload and retry")
        self.webhooks[webhook.id] = saved = evolve(webhook, version=webhook.version + 1)
        return saved

    async def delete(self, webhook_id: str) -> bool:
        return self.webhooks.pop(webhook_id, None) is not None
