"""A project: one music video or short film, with its music track."""

from datetime import datetime

from attrs import evolve, field, frozen

from domain.aspect_ratio import AspectRatio
from domain.media import MusicTrack
from domain.validation import bounded_text, optional_text


@frozen
class Project:
    id: str
    name: str = field(validator=bounded_text(200))
    description: str | None = field(validator=optional_text(5000))
    music_file: str | None
    created_at: datetime
    updated_at: datetime
    version: int = 1
    music: MusicTrack | None = None
    aspect_ratio: AspectRatio = AspectRatio.WIDE  # generated videos take the model's nearest size

    def renamed(self, *, name: str, description: str | None, now: datetime,
                aspect_ratio: AspectRatio | None = None) -> "Project":
        return evolve(self, name=name, description=description, updated_at=now,
                      aspect_ratio=aspect_ratio or self.aspect_ratio)

    def with_music(self, music: MusicTrack, *, now: datetime) -> "Project":
        """Set the project's song; `music_file` keeps its storage key for older clients."""
        return evolve(self, music=music, music_file=music.key, updated_at=now)

    def without_music(self, *, now: datetime) -> "Project":
        return evolve(self, music=None, music_file=None, updated_at=now)
