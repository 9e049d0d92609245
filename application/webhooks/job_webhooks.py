"""A job's or batch's own `webhook_url`: checked by the outbound guard, and refused while nothing can sign for it."""

from attrs import frozen

from application.webhooks.webhook_urls import ensure_sendable
from domain.errors import InvalidValue
from domain.outbound import OutboundRule


@frozen
class JobWebhookPolicy:
    outbound: OutboundRule = OutboundRule()
    signed: bool = False  # WEBHOOK_SECRET is set: deliveries to a job's own URL can be signed

    def check(self, url: str | None) -> None:
        if url is None:
            return
        if not self.signed:
            raise InvalidValue("webhook_url", "set WEBHOOK_SECRET on the server to sign deliveries to a job's own URL")
        ensure_sendable(self.outbound, url, field_name="webhook_url")
