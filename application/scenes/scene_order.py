"""Writing a project's scene order back after an insert, move or delete."""

from collections.abc import Sequence
from datetime import datetime

from attrs import evolve

from application.ports.unit_of_work import UnitOfWork
from domain.ordering import reordered
from domain.scene import Scene


async def store_order(uow: UnitOfWork, scenes: Sequence[Scene], sequence: Sequence[str], *, now: datetime) -> None:
    """Renumber `scenes` densely after `sequence` and save those whose order changed."""
    changed = [evolve(scene, updated_at=now) for scene in reordered(scenes, sequence)]
    await uow.scenes.update_all(changed)
