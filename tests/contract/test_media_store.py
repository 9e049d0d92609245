"""The MediaStore port, against the in-memory fake and the filesystem store alike."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.fakes.media_store import InMemoryMediaStore
from adapters.media.filesystem_store import FilesystemMediaStore
from adapters.media.media_keys import is_key
from application.errors import PayloadTooLarge
from domain.media import MediaKind
from tests.media_samples import image, wav

PROJECT, OTHER = "65f1c0ffee0000000000abcd", "65f1c0ffee0000000000ef01"
ESCAPES = ["../x.png", "/etc/passwd", "projects/../../etc/passwd", "shared/images/../../../etc/passwd",
           "shared/images/a.png\x00", "shared\uff0fimages\uff0fa.png", "shared/images/\u202ea.png", ".staging/x.part"]


@pytest.fixture(params=["fake", "filesystem"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> InMemoryMediaStore | FilesystemMediaStore:
    return InMemoryMediaStore() if request.param == "fake" else FilesystemMediaStore(tmp_path / "uploads")


async def chunks_of(data: bytes, size: int = 1000) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


async def keep(store, data: bytes, *, project_id: str | None = PROJECT, folder: str = "music", name: str = "x"):
    staged = await store.stage(chunks_of(data), max_bytes=10_000_000)
    try:
        return await store.keep(staged, project_id=project_id, folder=folder, original_name=name)
    finally:
        await store.discard(staged)


async def test_a_kept_upload_reads_back_under_a_generated_key(store):
    data = wav(0.5)
    stored = await keep(store, data, name="../../My Song\u202e.wav")
    assert is_key(stored.key) and stored.key.startswith(f"projects/{PROJECT}/music/")
    assert "Song" not in stored.key and stored.key.endswith(".wav")
    assert stored.url == f"/api/v1/media/files/{stored.key}"
    assert (stored.content_type, stored.kind, stored.size) == ("audio/wav", MediaKind.AUDIO, len(data))
    assert stored.original_name == "My Song.wav"
    assert await store.read(stored.key) == data
    assert store.file_url(stored.key).startswith("file:///")


async def test_staging_sniffs_the_type_from_the_bytes(store):
    staged = await store.stage(chunks_of(image("PNG")), max_bytes=10_000)
    unknown = await store.stage(chunks_of(b"just text"), max_bytes=10_000)
    assert (staged.content_type, staged.kind, staged.extension) == ("image/png", MediaKind.IMAGE, ".png")
    assert (unknown.content_type, unknown.kind, unknown.extension) == (None, None, None)
    with store.open_staged(staged) as source:
        assert source.read() == image("PNG")
    for each in (staged, unknown):
        await store.discard(each)


async def test_the_size_cap_holds_while_reading_and_nothing_is_kept(store):
    with pytest.raises(PayloadTooLarge):
        await store.stage(chunks_of(b"\x00" * 5000, 100), max_bytes=4999)
    staged = await store.stage(chunks_of(b"\x00" * 5000, 100), max_bytes=5000)
    assert staged.size == 5000
    await store.discard(staged)
    assert await store.delete_project(PROJECT) == 0


async def test_the_cap_stops_reading_the_stream(store):
    pulled = []

    async def endless() -> AsyncIterator[bytes]:
        while True:
            pulled.append(1)
            yield b"\x00" * 1024

    with pytest.raises(PayloadTooLarge):
        await store.stage(endless(), max_bytes=10 * 1024)
    assert len(pulled) == 11


async def test_generated_outputs_are_typed_by_content_not_by_their_name(store):
    stored = await store.store_generated(PROJECT, "clip42", "ComfyUI_00001_.mp4", chunks_of(image("PNG")),
                                         max_bytes=10_000)
    assert stored.key.startswith(f"projects/{PROJECT}/generated/clip42-") and stored.key.endswith(".png")
    assert (stored.content_type, stored.original_name) == ("image/png", "ComfyUI_00001_.mp4")
    odd = await store.store_generated(PROJECT, "../clip", "x", chunks_of(b"no magic here"), max_bytes=100)
    assert odd.content_type == "application/octet-stream" and odd.key.endswith(".bin") and is_key(odd.key)
    with pytest.raises(PayloadTooLarge):
        await store.store_generated(PROJECT, "clip42", "big.png", chunks_of(b"\x00" * 200), max_bytes=100)


async def test_deleting_a_project_deletes_its_files_only(store):
    mine = [await keep(store, wav(0.1)), await keep(store, image("GIF"), folder="images")]
    theirs = await keep(store, wav(0.1), project_id=OTHER)
    shared = await keep(store, image("PNG"), project_id=None, folder="images")
    assert shared.key.startswith("shared/images/")
    assert await store.delete_project(PROJECT) == 2
    assert [await store.read(stored.key) for stored in mine] == [None, None]
    assert await store.read(theirs.key) is not None and await store.read(shared.key) is not None
    assert await store.delete(theirs.key) and not await store.delete(theirs.key)


@pytest.mark.parametrize("key", ESCAPES)
async def test_no_key_reaches_outside_the_store(store, key):
    assert store.locate(key) is None
    assert store.file_url(key) is None
    assert await store.read(key) is None
    assert not await store.delete(key)


async def test_folders_and_projects_must_be_plain_names(store):
    staged = await store.stage(chunks_of(wav(0.1)), max_bytes=100_000)
    for project_id, folder in (("../up", "music"), (PROJECT, "../../tmp"), ("a/b", "music"), (PROJECT, "other")):
        with pytest.raises(ValueError):
            await store.keep(staged, project_id=project_id, folder=folder, original_name=None)
    await store.discard(staged)
    assert await store.delete_project("../..") == 0


async def test_a_copy_belongs_to_the_other_project_and_outlives_the_original(store):
    original = await keep(store, wav(0.2))
    copied = await store.copy(original.key, project_id=OTHER)
    assert copied.key.startswith(f"projects/{OTHER}/music/") and copied.key.endswith(".wav")
    assert (copied.content_type, copied.kind, copied.size) == ("audio/wav", MediaKind.AUDIO, original.size)
    await store.delete_project(PROJECT)
    assert await store.read(copied.key) == wav(0.2)
    assert await store.copy(original.key, project_id=OTHER) is None


async def test_a_folder_lists_its_files_oldest_first(store):
    images = []
    for fmt in ("PNG", "GIF", "JPEG"):
        images.append(await keep(store, image(fmt), folder="images"))
        await asyncio.sleep(0.03)  # past the filesystem's timestamp granularity
    await keep(store, wav(0.1))  # another folder
    await keep(store, image("PNG"), project_id=OTHER, folder="images")  # another project
    listed = await store.listing(PROJECT, "images")
    assert [(i.key, i.url, i.content_type, i.size) for i in listed] == [
        (i.key, i.url, i.content_type, i.size) for i in images]
    assert [i.kind for i in listed] == [MediaKind.IMAGE] * 3
    assert await store.listing(None, "images") == [] and await store.listing("../..", "images") == []
    assert await store.listing(PROJECT, "../music") == []


async def test_a_clips_generated_files_are_deleted_by_the_name_they_carry(store):
    mine = [await store.store_generated(PROJECT, "clip4", "a.png", chunks_of(image("PNG")), max_bytes=10_000)
            for _ in range(2)]
    similar = await store.store_generated(PROJECT, "clip42", "a.png", chunks_of(image("PNG")), max_bytes=10_000)
    elsewhere = await store.store_generated(OTHER, "clip4", "a.png", chunks_of(image("PNG")), max_bytes=10_000)
    assert await store.delete_generated(PROJECT, "clip4") == 2
    assert [await store.read(stored.key) for stored in mine] == [None, None]
    assert await store.read(similar.key) is not None and await store.read(elsewhere.key) is not None
    assert await store.delete_generated(PROJECT, "clip4") == 0 and await store.delete_generated("..", "x") == 0
