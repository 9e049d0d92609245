"""One video job as the API shows it (the `Video` object), with what the simulator needs to render it."""

import asyncio
import secrets
import time
from typing import Any

from attrs import define, field, frozen
from PIL import Image

FINAL_STATUSES = ("completed", "failed")


@frozen
class VideoError:
    """The `error` of a failed video."""

    code: str
    message: str


@frozen
class VideoSpec:
    """What a create (or remix) request asked for, validated."""

    prompt: str
    model: str
    seconds: str
    size: str
    reference: Image.Image | None = field(default=None, eq=False, repr=False)
    remixed_from_video_id: str | None = None

    @property
    def dimensions(self) -> tuple[int, int]:
        width, _, height = self.size.partition("x")
        return int(width), int(height)


def new_video_id() -> str:
    """`video_` and 32 hex digits, the first 8 the creation time, like the real ids."""
    return f"video_{int(time.time()):08x}{secrets.token_hex(12)}"


@define
class Video:
    """A job: queued, in_progress, then completed or failed; its assets once completed."""

    id: str
    spec: VideoSpec
    created_at: int
    status: str = "queued"
    progress: int = 0
    completed_at: int | None = None
    expires_at: int | None = None
    error: VideoError | None = None
    planned_failure: VideoError | None = None
    task: asyncio.Task | None = field(default=None, repr=False)

    @property
    def finished(self) -> bool:
        return self.status in FINAL_STATUSES

    def start(self) -> None:
        self.status = "in_progress"

    def advance(self, progress: int) -> None:
        self.progress = max(self.progress, min(progress, 99))

    def complete(self, *, ttl: int) -> None:
        self.status, self.progress = "completed", 100
        self.completed_at = int(time.time())
        self.expires_at = self.completed_at + ttl

    def fail(self, error: VideoError) -> None:
        self.status, self.error = "failed", error
        self.completed_at = int(time.time())

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    def as_json(self) -> dict[str, Any]:
        """The `Video` object of the API."""
        return {
            "id": self.id, "object": "video", "model": self.spec.model, "status": self.status,
            "progress": self.progress, "created_at": self.created_at, "completed_at": self.completed_at,
            "expires_at": self.expires_at, "prompt": self.spec.prompt, "seconds": self.spec.seconds,
            "size": self.spec.size, "remixed_from_video_id": self.spec.remixed_from_video_id,
            "error": None if self.error is None else {"code": self.error.code, "message": self.error.message},
        }
