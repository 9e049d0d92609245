"""Writing a project's scene order back after an insert, move or delete."""

from collections.abc import Sequence
from datetime import datetime

from attrs import evolve

from application.lookups import require
from application.ports.unit_of_work import UnitOfWork
from domain.errors import InvalidValue
from domain.ordering import reordered
from domain.scene import Scene


async def store_order(
    uow: UnitOfWork, scenes: Sequence[Scene], sequence: Sequence[str], *, now: datetime
) -> list[Scene]:
    """Renumber `scenes` densely after `sequence`; save those whose order changed and return them."""
    changed = [evolve(scene, updated_at=now) for scene in reordered(scenes, sequence)]
    return await uow.scenes.update_all(changed)


async def guarded_scene(uow: UnitOfWork, scene_id: str) -> Scene:
    """The scene, once its project (the aggregate of its scenes) is guarded; read again, as it may have changed."""
    scene = await require(uow.scenes, scene_id, "Scene")
    await uow.guard(await require(uow.projects, scene.project_id, "Project"))
    return await require(uow.scenes, scene_id, "Scene")


def ensure_position(order: int | None) -> None:
    if order is not None and order < 0:
        raise InvalidValue("order", "must be at least 0")
