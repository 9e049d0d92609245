"""Webhook deliveries: retried with exponential backoff on timeouts, 429 and 5xx for at least a day, else final."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.webhook import EVENTS, EventFilter
from domain.webhook_delivery import (
    DeliveryAttempt, DeliveryStatus, RetryPolicy, WebhookDelivery, message_id, retryable,
)

NOW = datetime(2026, 5, 1, tzinfo=UTC)


def pending() -> WebhookDelivery:
    return WebhookDelivery(id="msg_1", webhook_id="w", url="http://127.0.0.1:9/h", event="job.completed",
                           payload={}, created_at=NOW, next_attempt_at=NOW)


def failing_until_given_up(status_code: int | None) -> list[WebhookDelivery]:
    delivery, states = pending(), []
    while delivery.status is DeliveryStatus.PENDING:
        attempt = DeliveryAttempt(at=delivery.next_attempt_at, status_code=status_code, error="x", duration_ms=1.0)
        delivery = delivery.tried(attempt, policy=RetryPolicy())
        states.append(delivery)
    return states


@pytest.mark.parametrize("status_code", [None, 429, 500, 503])
def test_timeouts_429_and_5xx_are_retried_with_growing_delays_for_more_than_a_day(status_code):
    states = failing_until_given_up(status_code)
    assert states[-1].status is DeliveryStatus.FAILED
    retried_at = [s.next_attempt_at for s in states[:-1]]
    delays = [later - earlier for earlier, later in zip([NOW, *retried_at], retried_at)]
    assert delays[:4] == [timedelta(seconds=s) for s in (5, 10, 20, 40)]
    assert all(d <= timedelta(hours=2) for d in delays)
    assert retried_at[-1] - NOW >= timedelta(days=1)


@pytest.mark.parametrize("status_code", [400, 401, 404, 410])
def test_any_other_answer_ends_the_delivery_at_once(status_code):
    assert [s.status for s in failing_until_given_up(status_code)] == [DeliveryStatus.FAILED]


def test_a_2xx_delivers_and_gives_up_the_lease():
    attempt = DeliveryAttempt(at=NOW, status_code=204, error=None, duration_ms=1.0)
    delivered = pending().claimed(owner="a", until=NOW).tried(attempt, policy=RetryPolicy())
    assert delivered.status is DeliveryStatus.DELIVERED and delivered.delivered_at == NOW
    assert delivered.lease_owner is None and delivered.attempts == (attempt,)


@given(st.integers(100, 599))
def test_retryable_means_no_answer_429_or_5xx(code):
    assert retryable(code) == (code == 429 or code >= 500)
    assert retryable(None)


def test_message_ids_are_stable_per_event_and_receiver():
    assert message_id("e", "w1") == message_id("e", "w1") != message_id("e", "w2")
    assert message_id("e", "w1").startswith("msg_")


class Named:
    name = "events"


@pytest.mark.parametrize("events", [("job.done",), (), ("job.failed", "job.failed")])
def test_the_event_filter_names_the_events(events):
    with pytest.raises(InvalidValue) as raised:
        EventFilter()(None, Named(), events)
    assert all(name in raised.value.message for name in EVENTS)
