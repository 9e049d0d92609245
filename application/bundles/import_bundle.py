"""Import a bundle as a new project: every id fresh, every file stored anew; the whole project or nothing."""

from pathlib import Path

from attrs import define, frozen

from application.bundles.bundle_files import BundleFiles
from application.bundles.bundle_rules import check_bundle
from application.bundles.renamed_entities import RenamedEntities
from application.ports.bundle_archive import BundleArchive, ProjectBundle
from application.ports.id_generator import IdGenerator
from application.ports.media_store import MediaStore
from application.ports.unit_of_work import UnitOfWork


@frozen
class ImportBundle:
    source: Path


@frozen
class BundleImported:
    project_id: str
    name: str
    scenes: int
    clips: int
    files: int


@define
class ImportBundleHandler:
    uow: UnitOfWork
    ids: IdGenerator
    media: MediaStore
    archive: BundleArchive

    async def __call__(self, cmd: ImportBundle) -> BundleImported:
        bundle = await self.archive.read(cmd.source)
        check_bundle(bundle)
        renamed = RenamedEntities(bundle, self.ids)
        files = BundleFiles(self.media, bundle, renamed.project_id)
        try:
            await files.store_all(renamed.clip_ids)
            await self._add(bundle, renamed, files)
        except BaseException:
            await self.media.delete_project(renamed.project_id)
            raise
        return BundleImported(project_id=renamed.project_id, name=bundle.project.name, scenes=len(bundle.scenes),
                              clips=len(bundle.clips), files=files.count)

    async def _add(self, bundle: ProjectBundle, renamed: RenamedEntities, files: BundleFiles) -> None:
        async with self.uow:
            known = {c.id for c in bundle.characters}
            shared = {c.character_id for c in bundle.clips if c.character_id and c.character_id not in known}
            present = {i for i in shared if await self.uow.characters.get(i) is not None}  # shared ones, if here
            await self.uow.projects.add(renamed.project(files))
            self.uow.board_changed(renamed.project_id)
            await self.uow.characters.add_all(renamed.characters(files))
            await self.uow.templates.add_all(renamed.templates())
            await self.uow.scenes.add_all(renamed.scenes())
            await self.uow.clips.add_all(renamed.clips(files, shared_characters=present))
            await self.uow.commit()
