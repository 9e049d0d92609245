"""The ProjectBoardReader port: scenes by order then alternate, clips by position then alternate."""

from tests.contract.test_repository import T0, project, scene
from domain.clip import Clip


def clip(clip_id: str, scene_id: str, position: float, number: int = 0, parent: str | None = None) -> Clip:
    return Clip(id=clip_id, scene_id=scene_id, project_id="p1", name=clip_id, timeline_position=position,
                length=1.0, alternate_number=number, parent_clip_id=parent, created_at=T0, updated_at=T0)


async def test_board_nests_clips_in_ordered_scenes(backend):
    async with backend.new_uow() as uow:
        await uow.projects.add_all([project("p1"), project("p2")])
        await uow.scenes.add_all([scene("s2", 1), scene("s1", 0), scene("s1b", 0, parent="s1", number=1),
                                  scene("other", 0, project_id="p2")])
        await uow.clips.add_all([clip("c3", "s1", 2.0), clip("c1", "s1", 0.0), clip("c1b", "s1", 0.0, 1, "c1"),
                                 clip("c4", "s2", 0.0)])
        await uow.commit()
    board = await backend.board_reader.board("p1")
    assert board.project.id == "p1"
    assert [entry.scene.id for entry in board.scenes] == ["s1", "s1b", "s2"]
    assert [[c.id for c in entry.clips] for entry in board.scenes] == [["c1", "c1b", "c3"], [], ["c4"]]


async def test_board_of_an_unknown_project_is_none(backend):
    assert await backend.board_reader.board("nope") is None
