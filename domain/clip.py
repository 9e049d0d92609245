"""A clip: one shot on a scene's timeline, with its prompts and its galleries."""

from datetime import datetime

from attrs import Factory, evolve, field, frozen

from domain.errors import RuleViolation
from domain.generated_content import ContentKind, GeneratedContent
from domain.validation import bounded_text, optional_text, within

MAX_TIMELINE_SECONDS = 24 * 3600.0


@frozen
class Clip:
    id: str
    scene_id: str
    project_id: str
    name: str = field(validator=bounded_text(200))
    timeline_position: float = field(validator=within(0.0, MAX_TIMELINE_SECONDS, unit=" seconds"))
    length: float = field(validator=within(0.0, MAX_TIMELINE_SECONDS, exclusive_minimum=True, unit=" seconds"))
    created_at: datetime
    updated_at: datetime
    lyrics: str | None = field(default=None, validator=optional_text(5000))
    image_prompt: str = field(default="", validator=bounded_text(10000, allow_empty=True))
    video_prompt: str = field(default="", validator=bounded_text(10000, allow_empty=True))
    character_id: str | None = None
    parent_clip_id: str | None = None
    alternate_number: int = 0
    generated_images: tuple[GeneratedContent, ...] = ()
    generated_videos: tuple[GeneratedContent, ...] = ()
    version: int = 1
    is_alternate: bool = field(
        init=False, default=Factory(lambda clip: clip.parent_clip_id is not None, takes_self=True)
    )

    @property
    def end(self) -> float:
        return self.timeline_position + self.length

    def overlaps(self, other: "Clip") -> bool:
        return self.timeline_position < other.end and other.timeline_position < self.end

    def gallery(self, kind: ContentKind) -> tuple[GeneratedContent, ...]:
        return self.generated_images if kind is ContentKind.IMAGE else self.generated_videos

    def selected(self, kind: ContentKind) -> GeneratedContent | None:
        return next((item for item in self.gallery(kind) if item.selected), None)

    def with_selection(self, content_id: str, *, now: datetime) -> "Clip":
        """Select one gallery item; the other items of its kind are unselected."""
        for kind in ContentKind:
            if any(item.id == content_id for item in self.gallery(kind)):
                items = tuple(evolve(i, selected=i.id == content_id) for i in self.gallery(kind))
                return self._with_gallery(kind, items, now)
        raise LookupError(content_id)

    def with_content(self, content: GeneratedContent, *, now: datetime) -> "Clip":
        """Append a take; the first take of a kind becomes the selected one."""
        first = not self.gallery(content.kind)
        items = (*self.gallery(content.kind), evolve(content, selected=first))
        return self._with_gallery(content.kind, items, now)

    def without_content(self, content_id: str, *, now: datetime) -> tuple["Clip", GeneratedContent]:
        """Take one item out of its gallery; if it was the selected one, the newest remaining item is selected."""
        for kind in ContentKind:
            removed = next((item for item in self.gallery(kind) if item.id == content_id), None)
            if removed is not None:
                items = tuple(item for item in self.gallery(kind) if item.id != content_id)
                if removed.selected and items:
                    items = (*items[:-1], evolve(items[-1], selected=True))
                return self._with_gallery(kind, items, now), removed
        raise LookupError(content_id)

    def _with_gallery(self, kind: ContentKind, items: tuple[GeneratedContent, ...], now: datetime) -> "Clip":
        if kind is ContentKind.IMAGE:
            return evolve(self, generated_images=items, updated_at=now)
        return evolve(self, generated_videos=items, updated_at=now)


def ensure_no_overlap(clip: Clip, scene_clips: list[Clip]) -> None:
    """The main clips of a scene never overlap; alternates may overlap anything."""
    if clip.is_alternate:
        return
    for other in scene_clips:
        if other.id != clip.id and not other.is_alternate and other.scene_id == clip.scene_id and other.overlaps(clip):
            raise RuleViolation(
                f"clip overlaps clip '{other.id}' ({other.timeline_position}s to {other.end}s) "
                f"of scene '{clip.scene_id}'; only alternates may overlap"
            )
