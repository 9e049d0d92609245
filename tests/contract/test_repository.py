"""The Repository port's writes: the fake and Mongo behave alike (named finders: test_named_finders.py)."""

from datetime import UTC, datetime, timedelta

import pytest
from attrs import evolve

from application.errors import Conflict
from domain.clip import Clip
from domain.generated_content import ContentKind, GeneratedContent
from domain.project import Project
from domain.scene import Scene

T0 = datetime(2026, 3, 1, 12, 0, 0, 123000, tzinfo=UTC)


def project(project_id: str, minutes: int = 0, name: str = "song") -> Project:
    at = T0 + timedelta(minutes=minutes)
    return Project(id=project_id, name=name, description=None, music_file=None, created_at=at, updated_at=at)


def scene(scene_id: str, order: int, project_id: str = "p1", parent: str | None = None, number: int = 0) -> Scene:
    return Scene(id=scene_id, project_id=project_id, name="s", description="é ✓", order=order,
                 parent_scene_id=parent, alternate_number=number, created_at=T0, updated_at=T0)


async def test_added_entity_reads_back_equal(backend):
    take = GeneratedContent(id="g1", kind=ContentKind.VIDEO, url="/media/x.mp4", created_at=T0,
                            model="wan", seed=2**40, params={"steps": 20, "nested": {"a": [1, 2]}}, selected=True)
    clip = Clip(id="c1", scene_id="s1", project_id="p1", name="shot", timeline_position=1.5, length=2.25,
                created_at=T0, updated_at=T0, generated_videos=(take,), lyrics="la la")
    async with backend.new_uow() as uow:
        await uow.clips.add(clip)
        await uow.commit()
    async with backend.new_uow() as uow:
        assert await uow.clips.get("c1") == clip
        assert await uow.clips.get("missing") is None


async def test_update_bumps_the_version_and_refuses_a_stale_one(backend):
    async with backend.new_uow() as uow:
        await uow.projects.add(project("p1"))
        await uow.commit()
    async with backend.new_uow() as uow:
        stored = await uow.projects.get("p1")
        saved = await uow.projects.update(evolve(stored, name="renamed"))
        await uow.commit()
    assert saved.version == 2
    async with backend.new_uow() as uow:
        assert (await uow.projects.get("p1")).name == "renamed"
        with pytest.raises(Conflict):
            await uow.projects.update(evolve(stored, name="stale"))


async def test_updating_a_deleted_entity_is_a_conflict(backend):
    async with backend.new_uow() as uow:
        await uow.projects.add(project("p1"))
        await uow.projects.delete("p1")
        with pytest.raises(Conflict):
            await uow.projects.update(project("p1"))


async def test_delete_and_delete_all_report_what_went(backend):
    async with backend.new_uow() as uow:
        await uow.scenes.add_all([scene("a", 0), scene("b", 1), scene("c", 0, project_id="p2")])
        assert await uow.scenes.delete_all(["a", "b", "zz"]) == 2
        assert await uow.scenes.delete_all([]) == 0
        assert await uow.scenes.delete("c") is True
        assert await uow.scenes.delete("c") is False
        await uow.commit()


async def test_update_all_is_all_or_conflict(backend):
    async with backend.new_uow() as uow:
        await uow.scenes.add_all([scene("a", 0), scene("b", 1)])
        await uow.commit()
    async with backend.new_uow() as uow:
        a, b = await uow.scenes.get("a"), await uow.scenes.get("b")
        saved = await uow.scenes.update_all([evolve(a, order=1), evolve(b, order=0)])
        assert [s.version for s in saved] == [2, 2]
        with pytest.raises(Conflict):
            await uow.scenes.update_all([evolve(a, order=5)])
