"""Uploads over the fakes: type by content, size caps, music replacement, character references, cascade."""

from collections.abc import AsyncIterator

import pytest

from application.characters.create_character import CreateCharacter, CreateCharacterHandler
from application.errors import Conflict, NotFound, PayloadTooLarge, UnsupportedMedia
from application.media.upload_image import UploadImage, UploadImageHandler
from application.media.upload_music import UploadMusic, UploadMusicHandler
from application.projects.create_project import CreateProject, CreateProjectHandler
from application.projects.delete_project import DeleteProject, DeleteProjectHandler
from application.projects.duplicate_project import DuplicateProject, DuplicateProjectHandler
from domain.generated_content import ContentKind, GeneratedContent
from tests.media_samples import image, wav
from tests.unit.application.board_builder import build_board
from tests.unit.application.fakes import FakeWorld, run


async def stream(data: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(data), 4096):
        yield data[start:start + 4096]


def new_project(world: FakeWorld, name: str = "song") -> str:
    return run(world.handler(CreateProjectHandler)(CreateProject(name=name))).id


def upload_music(world: FakeWorld, project_id: str, data: bytes, name: str | None = "track.wav"):
    return run(world.handler(UploadMusicHandler)(UploadMusic(project_id, stream(data), name)))


def upload_image(world: FakeWorld, data: bytes, **target: str):
    return run(world.handler(UploadImageHandler)(UploadImage(stream(data), "ref.png", **target)))


def test_music_is_read_and_stored_on_the_project():
    world = FakeWorld()
    project = upload_music(world, new_project(world), wav(2.5, rate=8000), "../My Song.wav")
    music = project.music
    assert (music.format, music.duration_s, music.sample_rate, music.channels) == ("wav", 2.5, 8000, 1)
    assert music.original_name == "My Song.wav" and project.music_file == music.key
    assert list(world.media.blobs) == [music.key]


def test_replacing_the_music_removes_the_old_file():
    world = FakeWorld()
    project_id = new_project(world)
    first = upload_music(world, project_id, wav(1.0)).music
    second = upload_music(world, project_id, wav(2.0)).music
    assert list(world.media.blobs) == [second.key] and first.key != second.key


@pytest.mark.parametrize("data", [image("PNG"), b"ID3 but not really audio", b""])
def test_music_that_is_not_audio_is_refused_and_nothing_stays(data):
    world = FakeWorld()
    with pytest.raises(UnsupportedMedia):
        upload_music(world, new_project(world), data, "song.mp3")
    assert world.media.blobs == {} and world.media.staged == {}


def test_music_over_the_cap_is_refused_and_nothing_stays():
    world = FakeWorld(upload_mb=1)
    with pytest.raises(PayloadTooLarge):
        upload_music(world, new_project(world), wav(70.0, rate=8000))
    assert world.media.blobs == {} and world.media.staged == {}


def test_music_for_an_unknown_project_is_not_even_read():
    world = FakeWorld()
    with pytest.raises(NotFound):
        upload_music(world, "nope", wav(1.0))
    assert world.media.staged == {} and world.media.blobs == {}


def test_an_image_for_a_character_becomes_one_of_its_references():
    world = FakeWorld()
    project_id = new_project(world)
    character = run(world.handler(CreateCharacterHandler)(CreateCharacter(name="Ava", project_id=project_id)))
    uploaded = upload_image(world, image("PNG", (30, 20)), character_id=character.id)
    assert (uploaded.width, uploaded.height, uploaded.project_id) == (30, 20, project_id)
    assert uploaded.key.startswith(f"projects/{project_id}/images/")
    assert world.rows("characters")[0].reference_images == (uploaded.url,)


def test_an_image_for_another_projects_character_is_refused_and_removed():
    world = FakeWorld()
    mine, other = new_project(world), new_project(world, "other")
    character = run(world.handler(CreateCharacterHandler)(CreateCharacter(name="Ava", project_id=other)))
    with pytest.raises(Conflict):
        upload_image(world, image("PNG"), project_id=mine, character_id=character.id)
    assert world.media.blobs == {}


def test_an_image_with_too_many_pixels_is_refused():
    world = FakeWorld(max_pixels=100)
    with pytest.raises(PayloadTooLarge):
        upload_image(world, image("PNG", (20, 20)))
    assert world.media.blobs == {}


def test_an_image_without_a_project_is_shared():
    world = FakeWorld()
    assert upload_image(world, image("PNG")).key.startswith("shared/images/")


def test_deleting_a_project_deletes_its_media():
    world = FakeWorld()
    doomed, kept = new_project(world), new_project(world, "kept")
    upload_music(world, doomed, wav(1.0))
    upload_image(world, image("PNG"), project_id=doomed)
    survivor = upload_music(world, kept, wav(1.0)).music
    deleted = run(world.handler(DeleteProjectHandler)(DeleteProject(project_id=doomed)))
    assert deleted.media_files == 2 and list(world.media.blobs) == [survivor.key]


def test_a_duplicate_owns_copies_of_the_media_so_deleting_the_source_keeps_them():
    world = FakeWorld()
    source = new_project(world)
    song = upload_music(world, source, wav(1.0)).music
    copy = run(world.handler(DuplicateProjectHandler)(DuplicateProject(project_id=source)))
    assert copy.music is not None and copy.music.key.startswith(f"projects/{copy.id}/music/")
    assert copy.music_file == copy.music.key and copy.music.duration_s == song.duration_s
    run(world.handler(DeleteProjectHandler)(DeleteProject(project_id=source)))
    assert list(world.media.blobs) == [copy.music.key]


def test_a_duplicate_owns_copies_of_the_generated_takes():
    world = FakeWorld()
    shape = [(1, 0, 0)]
    source = run(build_board(world, shape)).id
    clip = world.rows("clips")[0]
    stored = run(world.media.store_generated(source, clip.id, "out.png", stream(image("PNG")), max_bytes=10**6))
    take = GeneratedContent(id="t1", kind=ContentKind.IMAGE, url=stored.url, path=stored.key,
                            created_at=clip.created_at)
    world.store.tables["clips"][clip.id] = clip.with_content(take, now=clip.created_at)
    copy = run(world.handler(DuplicateProjectHandler)(DuplicateProject(project_id=source)))
    copied_take = next(c for c in world.rows("clips") if c.project_id == copy.id).generated_images[0]
    assert copied_take.path.startswith(f"projects/{copy.id}/generated/") and copied_take.url.endswith(copied_take.path)
    run(world.handler(DeleteProjectHandler)(DeleteProject(project_id=source)))
    assert run(world.media.read(copied_take.path)) == image("PNG")
