"""A webhook: where the events of the queue are sent, which ones, signed with its secret (Standard Webhooks)."""

from datetime import datetime
from typing import Any

from attrs import field, frozen

from domain.comfyui_server import SERVER_URL
from domain.errors import InvalidValue
from domain.validation import Limits, Pattern, bounded_text

JOB_EVENTS = {"completed": "job.completed", "failed": "job.failed", "cancelled": "job.cancelled"}
BATCH_COMPLETED = "batch.completed"
EVENTS = (*JOB_EVENTS.values(), BATCH_COMPLETED)
EVENT_NAME = "^(" + "|".join(e.replace(".", r"\.") for e in EVENTS) + ")$"
MAX_WEBHOOK_URL = 2000
WEBHOOK_URL = Pattern(SERVER_URL.pattern, "an http(s) URL with a host and no credentials, query or fragment, "
                                          "e.g. http://127.0.0.1:9000/hooks", max_length=MAX_WEBHOOK_URL)


@frozen
class EventFilter:
    """1..len(EVENTS) distinct names of known events."""

    def __call__(self, _instance: Any, attribute: Any, value: tuple[str, ...]) -> None:
        unknown = [name for name in value if name not in EVENTS]
        if unknown:
            raise InvalidValue(attribute.name, f"unknown event {', '.join(map(repr, unknown))}; the events are "
                                               f"{', '.join(EVENTS)}")
        if not value or len(set(value)) != len(value):
            raise InvalidValue(attribute.name, f"must name 1 to {len(EVENTS)} distinct events of {', '.join(EVENTS)}")

    @property
    def limits(self) -> Limits:
        return Limits(min_items=1, max_items=len(EVENTS), items=Limits(pattern=EVENT_NAME),
                      description=f"Event names: {', '.join(EVENTS)}.")


EVENT_FILTER = EventFilter()


@frozen
class Webhook:
    id: str
    url: str = field(validator=WEBHOOK_URL)
    events: tuple[str, ...] = field(validator=EVENT_FILTER)
    sealed_secret: str = field(repr=False)  # whsec_..., sealed at rest
    created_at: datetime
    updated_at: datetime
    description: str = field(default="", validator=bounded_text(500, allow_empty=True))
    enabled: bool = True
    version: int = 1

    def wants(self, event: str) -> bool:
        return self.enabled and event in self.events


def job_event(status: str) -> str | None:
    """The event a job's final status raises (`completed` -> `job.completed`)."""
    return JOB_EVENTS.get(status)
