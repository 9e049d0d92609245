"""One generated take (image or video) in a clip's gallery."""

from datetime import datetime
from enum import Enum
from typing import Any

from attrs import field, frozen


class ContentKind(str, Enum):
    IMAGE = "image"
    VIDEO = "video"


@frozen
class GeneratedContent:
    id: str
    kind: ContentKind
    url: str
    created_at: datetime
    model: str | None = None
    seed: int | None = None
    params: dict[str, Any] = field(factory=dict)
    server_id: str | None = None
    path: str | None = None
    job_id: str | None = None
    duration_s: float | None = None  # time the server spent generating it
    poster_url: str | None = None  # a still standing for a video (a provider's thumbnail)
    poster_path: str | None = None
    selected: bool = False
