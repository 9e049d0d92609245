"""Change a webhook's URL, events, description or switch (its secret stays)."""

import attrs
from attrs import define, evolve, field, frozen

from application.errors import NotFound
from application.ports.clock import Clock
from application.ports.webhook_store import WebhookStore
from application.webhooks.views import WebhookView
from application.webhooks.webhook_urls import ensure_sendable
from domain.outbound import OutboundRule
from domain.validation import optional, rule_of
from domain.webhook import Webhook


@frozen
class WebhookChanges:
    url: str | None = field(default=None, validator=optional(rule_of(Webhook, "url")))
    events: tuple[str, ...] | None = field(default=None, validator=optional(rule_of(Webhook, "events")))
    description: str | None = field(default=None, validator=optional(rule_of(Webhook, "description")))
    enabled: bool | None = None


@frozen
class UpdateWebhook:
    webhook_id: str
    changes: WebhookChanges


@define
class UpdateWebhookHandler:
    webhooks: WebhookStore
    clock: Clock
    outbound: OutboundRule = OutboundRule()

    async def __call__(self, cmd: UpdateWebhook) -> WebhookView:
        webhook = await self.webhooks.get(cmd.webhook_id)
        if webhook is None:
            raise NotFound("Webhook", cmd.webhook_id)
        if cmd.changes.url is not None:
            ensure_sendable(self.outbound, cmd.changes.url)
        given = {name: value for name, value in attrs.asdict(cmd.changes, recurse=False).items() if value is not None}
        return WebhookView.of(await self.webhooks.update(evolve(webhook, **given, updated_at=self.clock.now())))

