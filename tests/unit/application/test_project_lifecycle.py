"""Deleting a project leaves nothing behind; duplicating one copies its structure under new ids."""

from hypothesis import given, settings

from application.projects.delete_project import DeleteProject, DeleteProjectHandler
from application.projects.duplicate_project import DuplicateProject, DuplicateProjectHandler
from application.projects.queries import GetProjectBoard
from tests.unit.application.board_builder import boards, build_board
from tests.unit.application.fakes import FakeWorld, run

TABLES = ("scenes", "clips", "characters", "templates")


@settings(max_examples=40, deadline=None)
@given(boards, boards)
def test_cascade_delete_removes_every_child_and_spares_other_projects(doomed_shape, kept_shape):
    world = FakeWorld()
    doomed = run(build_board(world, doomed_shape))
    kept = run(build_board(world, kept_shape))
    before = {table: len(world.rows(table)) for table in TABLES}
    result = run(world.handler(DeleteProjectHandler)(DeleteProject(project_id=doomed.id)))
    for table in TABLES:
        assert all(row.project_id == kept.id for row in world.rows(table))
    assert [p.id for p in world.rows("projects")] == [kept.id]
    assert result.clips + len(world.rows("clips")) == before["clips"]


def _structure(board) -> list[tuple]:
    return [
        (entry.scene.order, entry.scene.alternate_number, entry.scene.name,
         [(c.name, c.timeline_position, c.length, c.alternate_number) for c in entry.clips])
        for entry in board.scenes
    ]


@settings(max_examples=40, deadline=None)
@given(boards)
def test_duplicate_copies_the_structure_under_fresh_ids(shape):
    world = FakeWorld()
    source = run(build_board(world, shape))
    copy = run(world.handler(DuplicateProjectHandler)(DuplicateProject(project_id=source.id)))
    read = world.handler(GetProjectBoard)
    original, duplicate = run(read(source.id)), run(read(copy.id))
    assert _structure(duplicate) == _structure(original)
    copied = {c.id: c for c in world.rows("clips") if c.project_id == copy.id}
    copied_scenes = {s.id: s for s in world.rows("scenes") if s.project_id == copy.id}
    copied_characters = {c.id for c in world.rows("characters") if c.project_id == copy.id}
    for clip in copied.values():
        assert clip.scene_id in copied_scenes
        assert clip.parent_clip_id is None or clip.parent_clip_id in copied
        assert clip.character_id is None or clip.character_id in copied_characters
    for scene in copied_scenes.values():
        assert scene.parent_scene_id is None or scene.parent_scene_id in copied_scenes
    original_ids = {row.id for table in TABLES for row in world.rows(table) if row.project_id == source.id}
    assert original_ids.isdisjoint(set(copied) | set(copied_scenes) | copied_characters)
