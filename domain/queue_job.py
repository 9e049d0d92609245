"""A generation job in the durable queue, and the rules of its lifecycle."""

from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from attrs import evolve, field, frozen

from domain.errors import RuleViolation
from domain.generated_content import ContentKind
from domain.prompt_ids import attempt_prompt_id
from domain.validation import within

MAX_PRIORITY = 1000
MAX_RETRIES = within(0, 10)  # retries a job may ask for
RETRY_BASE = timedelta(seconds=2)
RETRY_CAP = timedelta(minutes=5)


class JobStatus(str, Enum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def final(self) -> bool:
        return self in (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)


@frozen
class QueueJob:
    id: str
    project_id: str
    clip_id: str
    kind: ContentKind
    model: str  # preset or user workflow id
    params: dict[str, Any]  # every generation value, so the take can be reproduced
    output_node: str
    created_at: datetime
    updated_at: datetime
    priority: int = field(default=0, validator=within(-MAX_PRIORITY, MAX_PRIORITY))
    checkpoint: str | None = None  # the model file the workflow loads (scheduling affinity)
    required_models: tuple[str, ...] = ()
    status: JobStatus = JobStatus.PENDING
    progress: float = 0.0
    server_id: str | None = None
    prompt_id: str | None = None
    attempt: int = 0
    retry_count: int = 0
    max_retries: int = 3
    excluded_servers: tuple[str, ...] = ()
    not_before: datetime | None = None
    lease_owner: str | None = None
    lease_expires_at: datetime | None = None
    cancel_requested: bool = False
    batch_id: str | None = None
    result_url: str | None = None
    result_content_id: str | None = None
    error_message: str | None = None
    waiting_reason: str | None = None  # why no server can take it now (e.g. a model nobody offers)
    target: str | None = None  # None: any ComfyUI server that has its models; `provider:<id>`: that video provider
    remote_id: str | None = None  # the id the backend gave this attempt when it names work itself (a provider's video)
    started_at: datetime | None = None
    completed_at: datetime | None = None
    # issue 14: who asked (fair share by owner), its own webhook, and whether the webhooks were handed its ending
    owner: str | None = None
    webhook_url: str | None = None
    announced: bool = False
    version: int = 1

    def claimed(self, *, server_id: str, owner: str, lease: timedelta, now: datetime) -> "QueueJob":
        """Taken by a server for its next attempt, under that attempt's prompt id (known before the POST)."""
        if self.status is not JobStatus.PENDING:
            raise RuleViolation(f"job {self.id} is {self.status.value}, not pending")
        attempt = self.attempt + 1
        return evolve(self, status=JobStatus.PROCESSING, server_id=server_id,
                      prompt_id=attempt_prompt_id(self.id, attempt), remote_id=None, progress=0.0, attempt=attempt,
                      waiting_reason=None,
                      lease_owner=owner, lease_expires_at=now + lease,
                      started_at=now, updated_at=now, error_message=None)

    def completed(self, *, url: str, content_id: str, now: datetime) -> "QueueJob":
        return evolve(self, status=JobStatus.COMPLETED, progress=100.0, result_url=url, result_content_id=content_id,
                      completed_at=now, updated_at=now, lease_owner=None, lease_expires_at=None)

    def attempt_failed(self, error: str, *, now: datetime) -> "QueueJob":
        """Back to pending with backoff, away from this server; failed for good past max_retries."""
        excluded = tuple(dict.fromkeys([*self.excluded_servers, *([self.server_id] if self.server_id else [])]))
        if self.retry_count >= self.max_retries:
            return evolve(self, status=JobStatus.FAILED, error_message=error, completed_at=now, updated_at=now,
                          lease_owner=None, lease_expires_at=None, excluded_servers=excluded)
        delay = min(RETRY_BASE * 2**self.retry_count, RETRY_CAP)
        return evolve(self, status=JobStatus.PENDING, error_message=error, retry_count=self.retry_count + 1,
                      excluded_servers=excluded, not_before=now + delay, server_id=None, progress=0.0,
                      lease_owner=None, lease_expires_at=None, updated_at=now)

    def refused(self, error: str, *, now: datetime) -> "QueueJob":
        """Failed for good at once: refused for its structure, or by every server that could take it."""
        excluded = tuple(dict.fromkeys([*self.excluded_servers, *([self.server_id] if self.server_id else [])]))
        return evolve(self, status=JobStatus.FAILED, error_message=error, completed_at=now, updated_at=now,
                      lease_owner=None, lease_expires_at=None, excluded_servers=excluded)

    def requeued(self, *, now: datetime) -> "QueueJob":
        """Its runner vanished (lease expired) and the server knows nothing of it: run it again, no penalty."""
        return evolve(self, status=JobStatus.PENDING, server_id=None, progress=0.0, lease_owner=None,
                      lease_expires_at=None, updated_at=now)

    def cancelled(self, *, now: datetime) -> "QueueJob":
        if self.status.final:
            raise RuleViolation(f"job {self.id} is already {self.status.value}")
        return evolve(self, status=JobStatus.CANCELLED, completed_at=now, updated_at=now, lease_owner=None,
                      lease_expires_at=None, cancel_requested=False)

    def retried(self, *, now: datetime) -> "QueueJob":
        """A user asks to run a failed or cancelled job again, from scratch."""
        if self.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
            raise RuleViolation(f"only failed or cancelled jobs can be retried; job {self.id} is {self.status.value}")
        return evolve(self, status=JobStatus.PENDING, retry_count=0, excluded_servers=(), not_before=None,
                      error_message=None, progress=0.0, server_id=None, completed_at=None, updated_at=now,
                      announced=False)
