"""The project board read straight from the in-memory store."""

from attrs import define

from adapters.fakes.unit_of_work import InMemoryStore
from application.ports.project_board_reader import ProjectBoard, SceneWithClips


@define
class InMemoryProjectBoardReader:
    store: InMemoryStore

    async def board(self, project_id: str, *, version: int | None = None) -> ProjectBoard | None:
        project = self.store.tables["projects"].get(project_id)
        if project is None:
            return None
        scenes = sorted(
            (s for s in self.store.tables["scenes"].values() if s.project_id == project_id),
            key=lambda s: (s.order, s.alternate_number, s.id),
        )
        clips = sorted(
            (c for c in self.store.tables["clips"].values() if c.project_id == project_id),
            key=lambda c: (c.timeline_position, c.alternate_number, c.id),
        )
        return ProjectBoard(
            project=project,
            scenes=tuple(SceneWithClips(s, tuple(c for c in clips if c.scene_id == s.id)) for s in scenes),
            version=self.store.board_versions.get(project_id, 0) if version is None else version,
        )

    async def board_version(self, project_id: str) -> int | None:
        if project_id not in self.store.tables["projects"]:
            return None
        return self.store.board_versions.get(project_id, 0)
