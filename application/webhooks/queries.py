"""Reads of the webhooks and of their deliveries."""

from attrs import define

from application.errors import NotFound
from application.pagination import Page
from application.ports.webhook_outbox import WebhookOutbox
from application.ports.webhook_store import WebhookStore
from application.webhooks.views import WebhookView


@define
class ListWebhooks:
    webhooks: WebhookStore

    async def __call__(self) -> list[WebhookView]:
        return [WebhookView.of(webhook) for webhook in await self.webhooks.all()]


@define
class GetWebhook:
    webhooks: WebhookStore

    async def __call__(self, webhook_id: str) -> WebhookView:
        webhook = await self.webhooks.get(webhook_id)
        if webhook is None:
            raise NotFound("Webhook", webhook_id)
        return WebhookView.of(webhook)


@define
class ListDeliveries:
    """A webhook's deliveries, newest first, each with its attempts."""

    webhooks: WebhookStore
    outbox: WebhookOutbox

    async def __call__(self, webhook_id: str, *, skip: int, limit: int) -> Page:
        if await self.webhooks.get(webhook_id) is None:
            raise NotFound("Webhook", webhook_id)
        items = await self.outbox.of_webhook(webhook_id, skip=skip, limit=limit)
        return Page(items=tuple(items), total=await self.outbox.count_of_webhook(webhook_id), skip=skip, limit=limit)
