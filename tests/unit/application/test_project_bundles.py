"""Bundles over the fakes: export then import reproduces a project under new ids; a failed import leaves nothing."""

from collections.abc import AsyncIterator
from pathlib import Path

import attrs
import pytest

from adapters.fakes.bundle_archive import InMemoryBundleArchive
from adapters.fakes.unit_of_work import InMemoryUnitOfWork
from application.bundles.export_bundle import ExportBundle, ExportBundleHandler
from application.bundles.import_bundle import ImportBundle, ImportBundleHandler
from application.clips.create_clip import CreateClip, CreateClipHandler
from application.clips.create_clip_alternate import CreateClipAlternate, CreateClipAlternateHandler
from application.errors import ConcurrentChange
from application.ports.bundle_archive import InvalidBundle
from application.projects.create_project import CreateProject, CreateProjectHandler
from application.scenes.create_scene import CreateScene, CreateSceneHandler
from domain.generated_content import ContentKind, GeneratedContent
from tests.media_samples import image
from tests.unit.application.fakes import FakeWorld

async def chunks(content: bytes) -> AsyncIterator[bytes]:
    yield content


def exporter(world: FakeWorld, archive: InMemoryBundleArchive) -> ExportBundleHandler:
    return ExportBundleHandler(boards=world.board_reader(), uow=world.uow(), media=world.media, archive=archive)


def importer(world: FakeWorld, archive: InMemoryBundleArchive) -> ImportBundleHandler:
    return ImportBundleHandler(uow=world.uow(), ids=world.ids, media=world.media, archive=archive)


async def _project(world: FakeWorld) -> str:
    project = await world.handler(CreateProjectHandler)(CreateProject(name="P"))
    scene = await world.handler(CreateSceneHandler)(CreateScene(project_id=project.id, name="S"))
    clip = await world.handler(CreateClipHandler)(CreateClip(scene_id=scene.id, name="A", length=2.0))
    await world.handler(CreateClipAlternateHandler)(CreateClipAlternate(clip_id=clip.id))
    stored = await world.media.store_generated(project.id, clip.id, "take.png", chunks(image()), max_bytes=1 << 20)
    take = GeneratedContent(id=world.ids.new_id(), kind=ContentKind.IMAGE, url=stored.url, created_at=world.clock.now(),
                            path=stored.key)
    async with world.uow() as uow:
        await uow.clips.update(clip.with_content(take, now=world.clock.now()))
        await uow.commit()
    return project.id


@pytest.fixture
def archive() -> InMemoryBundleArchive:
    return InMemoryBundleArchive()


async def test_export_then_import_reproduces_the_project_under_new_ids(archive):
    source = FakeWorld()
    target = FakeWorld(ids=source.ids)  # one id space, as on one database
    project_id = await _project(source)
    await exporter(source, archive)(ExportBundle(project_id, Path("/")))
    imported = await importer(target, archive)(ImportBundle(Path("/")))
    [clip, alternate] = sorted(target.rows("clips"), key=lambda c: c.is_alternate)
    [original, _] = sorted(source.rows("clips"), key=lambda c: c.is_alternate)
    assert imported.project_id != project_id and clip.id != original.id
    assert alternate.parent_clip_id == clip.id and clip.scene_id == target.rows("scenes")[0].id
    assert target.media.blobs[clip.generated_images[0].path].data == source.media.blobs[
        original.generated_images[0].path].data
    assert clip.generated_images[0].path.startswith(f"projects/{imported.project_id}/generated/{clip.id}-")


class CommitFails(InMemoryUnitOfWork):
    async def commit(self) -> None:
        raise ConcurrentChange("lost a race")


async def test_a_failure_after_the_files_were_stored_leaves_nothing(archive):
    source = FakeWorld()
    target = FakeWorld(ids=source.ids)  # one id space, as on one database
    await exporter(source, archive)(ExportBundle(await _project(source), Path("/")))
    handler = attrs.evolve(importer(target, archive), uow=CommitFails(target.store))
    with pytest.raises(ConcurrentChange):
        await handler(ImportBundle(Path("/")))
    assert target.media.blobs == {} and target.rows("projects") == target.rows("clips") == []


async def test_a_bundle_breaking_the_rules_imports_nothing(archive):
    source = FakeWorld()
    target = FakeWorld(ids=source.ids)  # one id space, as on one database
    await exporter(source, archive)(ExportBundle(await _project(source), Path("/")))
    bundle = archive.written[Path("/")]
    main = next(clip for clip in bundle.clips if not clip.is_alternate)
    archive.written[Path("/")] = attrs.evolve(bundle, clips=(*bundle.clips, attrs.evolve(main, id="twin")))
    with pytest.raises(InvalidBundle, match="overlaps"):
        await importer(target, archive)(ImportBundle(Path("/")))
    assert target.media.blobs == {} and target.rows("projects") == []
