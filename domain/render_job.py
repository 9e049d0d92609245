"""A render job: one animatic of a project's board being made, with its progress and a lease that proves it alive."""

from datetime import datetime, timedelta
from enum import Enum

from attrs import evolve, field, frozen

from domain.timecode import RATES
from domain.validation import Pattern, within

INTERRUPTED = "the render stopped without finishing (its server went away); start it again"
MAX_SIDE = 1920  # an animatic is a draft: full HD either way (16:9 or 9:16) at most
FPS = Pattern("^(" + "|".join(label.replace(".", r"\.") for label in RATES) + ")$", "one of " + ", ".join(RATES),
              max_length=6)


class RenderStatus(str, Enum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@frozen
class AnimaticSettings:
    """Sizes are rounded down to even numbers of pixels (yuv420p) when a render starts."""

    fps: str = field(default="24", validator=FPS)
    width: int = field(default=1280, validator=within(64, MAX_SIDE, unit=" pixels"))
    height: int = field(default=720, validator=within(64, MAX_SIDE, unit=" pixels"))
    captions: bool = True

    def even(self) -> "AnimaticSettings":
        return evolve(self, width=self.width // 2 * 2, height=self.height // 2 * 2)


@frozen
class RenderJob:
    id: str
    project_id: str
    settings: AnimaticSettings
    created_at: datetime
    updated_at: datetime
    lease_until: datetime  # a pending or running job past its lease is dead (its process crashed)
    status: RenderStatus = RenderStatus.PENDING
    progress: float = 0.0
    error: str | None = None
    output_key: str | None = None
    duration_s: float | None = None  # of the rendered file
    version: int = 1

    @property
    def active(self) -> bool:
        return self.status in (RenderStatus.PENDING, RenderStatus.RUNNING)

    def abandoned(self, now: datetime) -> bool:
        return self.active and self.lease_until < now

    def running(self, progress: float, *, now: datetime, lease: timedelta) -> "RenderJob":
        return evolve(self, status=RenderStatus.RUNNING, progress=min(max(progress, 0.0), 1.0), updated_at=now,
                      lease_until=now + lease)

    def done(self, output_key: str, duration_s: float, *, now: datetime) -> "RenderJob":
        return evolve(self, status=RenderStatus.DONE, progress=1.0, output_key=output_key, duration_s=duration_s,
                      updated_at=now)

    def failed(self, reason: str, *, now: datetime) -> "RenderJob":
        return evolve(self, status=RenderStatus.FAILED, error=reason[:2000], updated_at=now)
