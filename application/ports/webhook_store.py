"""Port: the registered webhooks."""

from typing import Protocol

from domain.webhook import Webhook


class WebhookStore(Protocol):
    async def add(self, webhook: Webhook) -> None: ...

    async def get(self, webhook_id: str) -> Webhook | None: ...

    async def all(self) -> list[Webhook]:
        """Every webhook, oldest first."""
        ...

    async def update(self, webhook: Webhook) -> Webhook:
        """Store it if the stored version equals its version; return it at version+1; Conflict otherwise."""
        ...

    async def delete(self, webhook_id: str) -> bool: ...
