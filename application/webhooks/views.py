"""A webhook as the API shows it: everything but its secret, which is shown once, when it is created."""

from datetime import datetime

from attrs import frozen

from domain.webhook import Webhook


@frozen
class WebhookView:
    id: str
    url: str
    events: tuple[str, ...]
    description: str
    enabled: bool
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def of(cls, webhook: Webhook) -> "WebhookView":
        return cls(id=webhook.id, url=webhook.url, events=webhook.events, description=webhook.description,
                   enabled=webhook.enabled, created_at=webhook.created_at, updated_at=webhook.updated_at,
                   version=webhook.version)


@frozen
class WebhookCreated:
    """The new webhook and its signing secret (`whsec_...`): keep it, it is never shown again."""

    id: str
    url: str
    events: tuple[str, ...]
    description: str
    enabled: bool
    secret: str
    created_at: datetime
    updated_at: datetime
    version: int
