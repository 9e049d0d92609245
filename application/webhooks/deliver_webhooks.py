"""Send the due deliveries of the outbox: claimed under a lease (one sender at a time), settled after the answer."""

import asyncio
import json
from datetime import timedelta

from attrs import define

from application.ports.clock import Clock
from application.ports.secret_box import SecretBox, SecretUnreadable
from application.ports.webhook_outbox import WebhookOutbox
from application.ports.webhook_sender import SendOutcome, WebhookSender
from application.ports.webhook_store import WebhookStore
from domain.webhook_delivery import DeliveryAttempt, RetryPolicy, WebhookDelivery


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


@define
class DeliverWebhooks:
    outbox: WebhookOutbox
    webhooks: WebhookStore
    sender: WebhookSender
    secrets: SecretBox
    clock: Clock
    owner: str
    policy: RetryPolicy = RetryPolicy()
    lease: timedelta = timedelta(seconds=60)  # longer than a send may take: no other instance sends it meanwhile
    own_url_secret: str | None = None  # signs deliveries to a job's or batch's own webhook_url
    parallel: int = 8

    async def __call__(self) -> int:
        """Send up to `parallel` due deliveries at once; returns how many were tried."""
        claimed = []
        for _ in range(self.parallel):
            now = self.clock.now()
            delivery = await self.outbox.claim_due(now, owner=self.owner, until=now + self.lease)
            if delivery is None:
                break
            claimed.append(delivery)
        await asyncio.gather(*(self._send(delivery) for delivery in claimed))
        return len(claimed)

    async def _send(self, delivery: WebhookDelivery) -> None:
        url, secret, refusal = await self._receiver(delivery)
        if refusal is not None or secret is None:
            outcome = SendOutcome(None, refusal, permanent=True)
        else:
            outcome = await self.sender.send(url, message_id=delivery.id, body=body_of(delivery), secret=secret)
        attempt = DeliveryAttempt(at=self.clock.now(), status_code=outcome.status_code, error=outcome.error,
                                  duration_ms=outcome.duration_ms)
        await self.outbox.settle(delivery.tried(attempt, policy=self.policy, permanent=outcome.permanent),
                                 owner=self.owner)

    async def _receiver(self, delivery: WebhookDelivery) -> tuple[str, str | None, str | None]:
        """Where to send, with which secret, or why not to (the webhook as it is now: moved, disabled, deleted)."""
        if delivery.webhook_id is None:
            return delivery.url, self.own_url_secret, None if self.own_url_secret else "WEBHOOK_SECRET is not set"
        webhook = await self.webhooks.get(delivery.webhook_id)
        if webhook is None or not webhook.enabled:
            return delivery.url, None, "the webhook was deleted or disabled"
        try:
            return webhook.url, self.secrets.open(webhook.sealed_secret), None
        except SecretUnreadable:
            return webhook.url, None, "the webhook's secret cannot be unsealed with this SECRETS_KEY"
