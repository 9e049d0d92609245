"""Delete a scene and its clips; its alternates are deleted or promoted, as asked; the clips' jobs and files go too."""

from datetime import datetime

from attrs import define, evolve, frozen

from application.alternates_policy import AlternatesOnDelete
from application.clips.clip_rules import guard_scenes
from application.clips.take_files import delete_take_files
from application.ports.clock import Clock
from application.ports.media_store import MediaStore
from application.ports.unit_of_work import UnitOfWork
from application.queue.cancel_jobs import CancelJobs
from application.retries import retried_on_lost_race
from application.scenes.scene_order import guarded_scene, store_order
from domain.alternates import promoted, renumbered
from domain.ordering import main_sequence
from domain.scene import Scene


@frozen
class DeleteScene:
    scene_id: str
    alternates: AlternatesOnDelete = AlternatesOnDelete.DELETE


@frozen
class ScenesDeleted:
    scene_ids: tuple[str, ...]
    clips: int
    jobs_cancelled: int = 0
    files: int = 0  # the clips' take files deleted


@define
class DeleteSceneHandler:
    uow: UnitOfWork
    clock: Clock
    media: MediaStore
    cancel_jobs: CancelJobs

    @retried_on_lost_race
    async def __call__(self, cmd: DeleteScene) -> ScenesDeleted:
        now = self.clock.now()
        async with self.uow:
            scene = await guarded_scene(self.uow, cmd.scene_id)
            family = await self.uow.scenes.alternates_of(scene.parent_scene_id or scene.id)
            kept = scene.is_alternate or cmd.alternates is AlternatesOnDelete.PROMOTE
            doomed = [scene.id] if kept else [scene.id, *(s.id for s in family)]
            await guard_scenes(self.uow, doomed)  # no clip lands in a scene while it is deleted
            if scene.is_alternate:
                await self.uow.scenes.update_all(_stamped(renumbered([s for s in family if s.id != scene.id]), now))
            elif cmd.alternates is AlternatesOnDelete.PROMOTE:
                await self.uow.scenes.update_all(_stamped(promoted(family, parent_field="parent_scene_id"), now))
            gone = await self.uow.clips.of_scenes(doomed)
            clips = await self.uow.clips.delete_of_scenes(doomed)
            for scene_id in doomed:
                await self.uow.scenes.delete(scene_id)
            remaining = await self.uow.scenes.of_project(scene.project_id)
            await store_order(self.uow, remaining, main_sequence(remaining), now=now)
            await self.uow.commit()
        cancelled = await self.cancel_jobs.of_clips([clip.id for clip in gone])
        files = await delete_take_files(self.media, gone)
        return ScenesDeleted(scene_ids=tuple(doomed), clips=clips, jobs_cancelled=len(cancelled), files=files)


def _stamped(scenes: list[Scene], now: datetime) -> list[Scene]:
    return [evolve(scene, updated_at=now) for scene in scenes]
