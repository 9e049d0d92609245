"""One message to one receiver, kept until it answers 2xx or the retries run out, with every attempt made."""

import hashlib
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from attrs import evolve, frozen

RETRY_BASE = timedelta(seconds=5)
RETRY_CAP = timedelta(hours=2)
RETRY_FOR = timedelta(hours=26)  # at least a day of retries before a delivery is given up
MAX_KEPT_ATTEMPTS = 50


class DeliveryStatus(str, Enum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


@frozen
class DeliveryAttempt:
    at: datetime
    status_code: int | None  # None: no answer (timeout, refused connection, denied by the outbound guard)
    error: str | None
    duration_ms: float


@frozen
class RetryPolicy:
    base: timedelta = RETRY_BASE
    cap: timedelta = RETRY_CAP
    retry_for: timedelta = RETRY_FOR

    def delay(self, attempts: int) -> timedelta:
        """After the n-th failed attempt: base, 2 base, 4 base, ... capped."""
        return min(self.base * 2 ** (attempts - 1), self.cap)


def retryable(status_code: int | None) -> bool:
    """Timeouts and unreachable receivers (None), 429 and 5xx are tried again; any other answer is final."""
    return status_code is None or status_code == 429 or status_code >= 500


def message_id(event_key: str, receiver: str) -> str:
    """The Standard Webhooks `webhook-id`: the same for one event and one receiver however often it is derived."""
    return "msg_" + hashlib.sha256(f"{event_key}|{receiver}".encode()).hexdigest()[:32]


@frozen
class WebhookDelivery:
    id: str  # the webhook-id header, stable across retries
    webhook_id: str | None  # None: the job's or batch's own webhook_url
    url: str
    event: str
    payload: dict[str, Any]
    created_at: datetime
    next_attempt_at: datetime
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: tuple[DeliveryAttempt, ...] = ()
    attempt_count: int = 0
    lease_owner: str | None = None
    lease_expires_at: datetime | None = None
    delivered_at: datetime | None = None

    def claimed(self, *, owner: str, until: datetime) -> "WebhookDelivery":
        return evolve(self, lease_owner=owner, lease_expires_at=until)

    def tried(self, attempt: DeliveryAttempt, *, policy: RetryPolicy, permanent: bool = False) -> "WebhookDelivery":
        """The next state after `attempt`: delivered on 2xx, retried later, or failed for good."""
        count = self.attempt_count + 1
        kept = (*self.attempts, attempt)[-MAX_KEPT_ATTEMPTS:]
        done = dict(attempts=kept, attempt_count=count, lease_owner=None, lease_expires_at=None)
        if attempt.status_code is not None and 200 <= attempt.status_code < 300:
            return evolve(self, status=DeliveryStatus.DELIVERED, delivered_at=attempt.at, **done)
        next_at = attempt.at + policy.delay(count)
        if permanent or not retryable(attempt.status_code) or next_at > self.created_at + policy.retry_for:
            return evolve(self, status=DeliveryStatus.FAILED, **done)
        return evolve(self, next_attempt_at=next_at, **done)
