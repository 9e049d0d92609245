"""Delete a webhook and its deliveries (those still pending are never sent)."""

from attrs import define, frozen

from application.errors import NotFound
from application.ports.webhook_outbox import WebhookOutbox
from application.ports.webhook_store import WebhookStore


@frozen
class WebhookDeleted:
    id: str
    deliveries_deleted: int


@define
class DeleteWebhookHandler:
    webhooks: WebhookStore
    outbox: WebhookOutbox

    async def __call__(self, webhook_id: str) -> WebhookDeleted:
        if not await self.webhooks.delete(webhook_id):
            raise NotFound("Webhook", webhook_id)
        return WebhookDeleted(id=webhook_id, deliveries_deleted=await self.outbox.delete_of_webhook(webhook_id))
