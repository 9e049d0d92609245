"""Register a webhook: its URL checked by the outbound guard, a fresh secret sealed before it is stored."""

import base64
import secrets

from attrs import define, field, frozen

from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.secret_box import SecretBox
from application.ports.webhook_store import WebhookStore
from application.webhooks.views import WebhookCreated
from application.webhooks.webhook_urls import ensure_sendable
from domain.outbound import OutboundRule
from domain.validation import rule_of
from domain.webhook import EVENTS, Webhook


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


@frozen
class CreateWebhook:
    url: str = field(validator=rule_of(Webhook, "url"), metadata={"example": "http://127.0.0.1:9000/hooks"})
    events: tuple[str, ...] = field(default=EVENTS, validator=rule_of(Webhook, "events"))
    description: str = field(default="", validator=rule_of(Webhook, "description"))
    enabled: bool = True


@define
class CreateWebhookHandler:
    webhooks: WebhookStore
    clock: Clock
    ids: IdGenerator
    secrets: SecretBox
    outbound: OutboundRule = OutboundRule()

    async def __call__(self, cmd: CreateWebhook) -> WebhookCreated:
        ensure_sendable(self.outbound, cmd.url)
        now, secret = self.clock.now(), new_secret()
        webhook = Webhook(id=self.ids.new_id(), url=cmd.url, events=cmd.events, sealed_secret=self.secrets.seal(secret),
                          description=cmd.description, enabled=cmd.enabled, created_at=now, updated_at=now)
        await self.webhooks.add(webhook)
        return WebhookCreated(id=webhook.id, url=webhook.url, events=webhook.events, description=webhook.description,
                              enabled=webhook.enabled, secret=secret, created_at=now, updated_at=now,
                              version=webhook.version)
