"""Port: sending one signed Standard Webhooks message to a receiver."""

from typing import Protocol

from attrs import frozen


@frozen
class SendOutcome:
    status_code: int | None  # None: no answer (timeout, connection refused)
    error: str | None = None
    permanent: bool = False  # never worth retrying (e.g. the outbound guard denies the URL)
    duration_ms: float = 0.0


class WebhookSender(Protocol):
    async def send(self, url: str, *, message_id: str, body: bytes, secret: str) -> SendOutcome:
        """POST `body` signed with `secret` (`whsec_...`) under `message_id`; never raises for the receiver's faults."""
        ...

    async def close(self) -> None: ...
