"""Pack a whole project into one bundle: board, characters, templates, music, images and every take's file."""

from pathlib import Path

from attrs import define, frozen

from application.errors import NotFound
from application.ports.bundle_archive import BundleArchive, ProjectBundle
from application.ports.media_store import MediaStore
from application.ports.project_board_reader import ProjectBoard, ProjectBoardReader
from application.ports.unit_of_work import UnitOfWork
from domain.clip import Clip


@frozen
class ExportBundle:
    project_id: str
    destination: Path


@frozen
class BundleWritten:
    project_id: str
    path: str
    scenes: int
    clips: int
    files: int
    size: int


def take_files(clips: tuple[Clip, ...]) -> list[str]:
    """The media keys the takes of `clips` name (files and posters)."""
    return [path for clip in clips for take in (*clip.generated_images, *clip.generated_videos)
            for path in (take.path, take.poster_path) if path is not None]


@define
class ExportBundleHandler:
    boards: ProjectBoardReader
    uow: UnitOfWork
    media: MediaStore
    archive: BundleArchive

    async def __call__(self, cmd: ExportBundle) -> BundleWritten:
        board = await self.boards.board(cmd.project_id)
        if board is None:
            raise NotFound("Project", cmd.project_id)
        bundle = await self._bundle(board)
        size = await self.archive.write(bundle, cmd.destination)
        return BundleWritten(project_id=board.project.id, path=str(cmd.destination), scenes=len(bundle.scenes),
                             clips=len(bundle.clips), files=len(bundle.files), size=size)

    async def _bundle(self, board: ProjectBoard) -> ProjectBundle:
        project = board.project
        clips = tuple(clip for entry in board.scenes for clip in entry.clips)
        images = tuple(image.key for image in await self.media.listing(project.id, "images"))
        music = [project.music.key] if project.music is not None else []
        files: dict[str, bytes] = {}
        for key in dict.fromkeys([*music, *images, *take_files(clips)]):
            content = await self.media.read(key)
            if content is not None:  # a take whose file is gone travels without it, as it is stored
                files[key] = content
        async with self.uow:
            characters = await self.uow.characters.of_project(project.id)
            templates = await self.uow.templates.of_project(project.id)
        return ProjectBundle(project=project, scenes=tuple(entry.scene for entry in board.scenes), clips=clips,
                             characters=tuple(characters), templates=tuple(templates), images=images, files=files)
