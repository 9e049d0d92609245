"""Removing media over the fakes: a project's music, uploaded images (and the references to them), gallery takes."""

from collections.abc import AsyncIterator

import pytest

from application.characters.create_character import CreateCharacter, CreateCharacterHandler
from application.clips.delete_take import DeleteTake, DeleteTakeHandler
from application.errors import NotFound
from application.media.delete_image import DeleteImage, DeleteImageHandler
from application.media.queries import ListProjectImages
from application.media.remove_music import RemoveMusic, RemoveMusicHandler
from application.media.upload_image import UploadImage, UploadImageHandler
from application.media.upload_music import UploadMusic, UploadMusicHandler
from application.projects.create_project import CreateProject, CreateProjectHandler
from domain.generated_content import ContentKind, GeneratedContent
from tests.media_samples import image, wav
from tests.unit.application.board_builder import build_board
from tests.unit.application.fakes import FakeWorld, run


async def stream(data: bytes) -> AsyncIterator[bytes]:
    yield data


def new_project(world: FakeWorld) -> str:
    return run(world.handler(CreateProjectHandler)(CreateProject(name="song"))).id


def upload_image(world: FakeWorld, **target: str):
    return run(world.handler(UploadImageHandler)(UploadImage(stream(image("PNG")), "ref.png", **target)))


def name_of(key: str) -> str:
    return key.rsplit("/", 1)[-1]


def test_removing_the_music_deletes_its_file_and_clears_the_project():
    world = FakeWorld()
    project_id = new_project(world)
    uploaded = run(world.handler(UploadMusicHandler)(UploadMusic(project_id, stream(wav(1.0)), "a.wav")))
    project = run(world.handler(RemoveMusicHandler)(RemoveMusic(project_id)))
    assert (project.music, project.music_file, project.version) == (None, None, uploaded.version + 1)
    assert world.media.blobs == {}
    with pytest.raises(NotFound):
        run(world.handler(RemoveMusicHandler)(RemoveMusic(project_id)))
    with pytest.raises(NotFound):
        run(world.handler(RemoveMusicHandler)(RemoveMusic("no-such-project")))


def test_a_projects_images_are_listed_oldest_first_with_the_characters_using_them():
    world = FakeWorld()
    project_id = new_project(world)
    character = run(world.handler(CreateCharacterHandler)(CreateCharacter(name="Ava", project_id=project_id)))
    plain = upload_image(world, project_id=project_id)
    referenced = upload_image(world, character_id=character.id)
    upload_image(world)  # shared: not the project's
    listed = run(world.handler(ListProjectImages)(project_id))
    assert [(i.key, i.content_type, i.character_ids) for i in listed] == [
        (plain.key, "image/png", ()), (referenced.key, "image/png", (character.id,))]
    assert listed[0].url == plain.url and listed[0].size == plain.size
    with pytest.raises(NotFound):
        run(world.handler(ListProjectImages)("no-such-project"))


def test_deleting_an_image_deletes_the_file_and_drops_it_from_reference_images():
    world = FakeWorld()
    project_id = new_project(world)
    character = run(world.handler(CreateCharacterHandler)(CreateCharacter(name="Ava", project_id=project_id)))
    kept = upload_image(world, character_id=character.id)
    doomed = upload_image(world, character_id=character.id)
    deleted = run(world.handler(DeleteImageHandler)(DeleteImage(name_of(doomed.key), project_id=project_id)))
    assert (deleted.key, deleted.character_ids) == (doomed.key, (character.id,))
    assert world.store.tables["characters"][character.id].reference_images == (kept.url,)
    assert list(world.media.blobs) == [kept.key]
    with pytest.raises(NotFound):
        run(world.handler(DeleteImageHandler)(DeleteImage(name_of(doomed.key), project_id=project_id)))


def test_a_shared_image_is_deleted_by_its_name_and_never_by_another_folders():
    world = FakeWorld()
    project_id = new_project(world)
    shared, owned = upload_image(world), upload_image(world, project_id=project_id)
    with pytest.raises(NotFound):
        run(world.handler(DeleteImageHandler)(DeleteImage(name_of(owned.key))))
    with pytest.raises(NotFound):
        run(world.handler(DeleteImageHandler)(DeleteImage("../" + name_of(owned.key))))
    run(world.handler(DeleteImageHandler)(DeleteImage(name_of(shared.key))))
    assert list(world.media.blobs) == [owned.key]


async def add_takes(world: FakeWorld, clip_id: str, count: int) -> list[GeneratedContent]:
    clip = world.store.tables["clips"][clip_id]
    takes = []
    for index in range(count):
        stored = await world.media.store_generated(clip.project_id, clip.id, "x.png",
                                                   stream(b"\x89PNG\r\n\x1a\n%d" % index), max_bytes=100)
        take = GeneratedContent(id=f"take{index}", kind=ContentKind.IMAGE, url=stored.url, path=stored.key,
                                created_at=world.clock.now())
        clip = clip.with_content(take, now=world.clock.now())
        takes.append(take)
    world.store.tables["clips"][clip_id] = clip
    return takes


async def test_deleting_the_selected_take_selects_the_newest_remaining_one_and_deletes_its_file():
    world = FakeWorld()
    await build_board(world, [(1, 0, 0)], characters=0)
    [clip] = world.rows("clips")
    first, second, third = await add_takes(world, clip.id, 3)
    assert world.store.tables["clips"][clip.id].selected(ContentKind.IMAGE).id == first.id
    changed = await world.handler(DeleteTakeHandler)(DeleteTake(clip.id, first.id))
    assert [(t.id, t.selected) for t in changed.generated_images] == [(second.id, False), (third.id, True)]
    assert first.path not in world.media.blobs and {second.path, third.path} <= set(world.media.blobs)
    changed = await world.handler(DeleteTakeHandler)(DeleteTake(clip.id, second.id))
    assert [(t.id, t.selected) for t in changed.generated_images] == [(third.id, True)], "the selection stays"
    with pytest.raises(NotFound):
        await world.handler(DeleteTakeHandler)(DeleteTake(clip.id, first.id))
    with pytest.raises(NotFound):
        await world.handler(DeleteTakeHandler)(DeleteTake("no-such-clip", third.id))
