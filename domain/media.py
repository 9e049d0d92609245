"""Media value objects: the kinds of stored files and a project's music track."""

from enum import Enum

from attrs import frozen


class MediaKind(str, Enum):
    AUDIO = "audio"
    IMAGE = "image"
    VIDEO = "video"


@frozen
class MusicTrack:
    """The project's song: where it is stored and what mutagen read from it."""

    key: str
    url: str
    content_type: str
    format: str
    size: int
    duration_s: float
    original_name: str | None = None
    bitrate: int | None = None
    sample_rate: int | None = None
    channels: int | None = None
