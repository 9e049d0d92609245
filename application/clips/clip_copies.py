"""Copies of a scene's clips for another scene: new ids, alternates re-linked, no takes."""

from collections.abc import Sequence
from datetime import datetime

from attrs import evolve

from application.errors import ConcurrentChange
from application.ports.id_generator import IdGenerator
from domain.clip import Clip, ensure_no_overlap
from domain.errors import RuleViolation


def copied_clips(clips: Sequence[Clip], *, scene_id: str, ids: IdGenerator, now: datetime) -> list[Clip]:
    new_ids = {clip.id: ids.new_id() for clip in clips}
    return [
        evolve(
            clip, id=new_ids[clip.id], scene_id=scene_id,
            parent_clip_id=new_ids.get(clip.parent_clip_id) if clip.parent_clip_id else None,
            generated_images=(), generated_videos=(), created_at=now, updated_at=now, version=1,
        )
        for clip in clips
    ]


def ensure_no_overlaps(clips: Sequence[Clip]) -> None:
    """What is copied keeps the rules; a source read while it changed (without transactions) may not: read again."""
    for clip in clips:
        try:
            ensure_no_overlap(clip, list(clips))
        except RuleViolation as exc:
            raise ConcurrentChange(f"the clips changed while they were copied: {exc}") from exc
