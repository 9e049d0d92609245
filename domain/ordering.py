"""Dense ordering of a project's scenes: positions are always exactly 0..n-1."""

from collections.abc import Sequence

from attrs import evolve

from domain.scene import Scene


def clamp_position(position: int | None, size: int) -> int:
    """A requested position, clamped into 0..size; None means the end."""
    if position is None or position > size:
        return size
    return max(position, 0)


def inserted(sequence: Sequence[str], item: str, position: int | None) -> list[str]:
    result = [existing for existing in sequence if existing != item]
    result.insert(clamp_position(position, len(result)), item)
    return result


def moved(sequence: Sequence[str], item: str, position: int) -> list[str]:
    if item not in sequence:
        raise ValueError(f"{item!r} is not in the sequence")
    return inserted(sequence, item, position)


def removed(sequence: Sequence[str], item: str) -> list[str]:
    return [existing for existing in sequence if existing != item]


def positions(sequence: Sequence[str]) -> dict[str, int]:
    return {item: index for index, item in enumerate(sequence)}


def main_sequence(scenes: Sequence[Scene]) -> list[str]:
    """The ids of the main (non-alternate) scenes, by order."""
    mains = sorted((s for s in scenes if not s.is_alternate), key=lambda s: (s.order, s.created_at, s.id))
    return [s.id for s in mains]


def reordered(scenes: Sequence[Scene], sequence: Sequence[str]) -> list[Scene]:
    """Give every scene the position of itself (or of its parent) in `sequence`; return those that moved."""
    index = positions(sequence)
    changed = []
    for scene in scenes:
        slot = index.get(scene.parent_scene_id or scene.id)
        if slot is not None and slot != scene.order:
            changed.append(evolve(scene, order=slot))
    return changed
