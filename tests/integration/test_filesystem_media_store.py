"""The filesystem store against planted symlinks and leftovers: nothing outside UPLOAD_DIR is read or deleted."""

from pathlib import Path

import pytest

from adapters.media.filesystem_store import FilesystemMediaStore
from application.errors import PayloadTooLarge
from tests.contract.test_media_store import PROJECT, chunks_of, keep
from tests.media_samples import image, wav


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "secret.png").write_bytes(image("PNG"))
    return secret


@pytest.fixture
def store(tmp_path: Path) -> FilesystemMediaStore:
    return FilesystemMediaStore(tmp_path / "uploads")


def files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


async def test_a_symlinked_file_planted_in_the_store_is_not_served(store, outside):
    folder = store.root / "shared" / "images"
    folder.mkdir(parents=True)
    (folder / "planted.png").symlink_to(outside / "secret.png")
    assert store.locate("shared/images/planted.png") is None
    assert not await store.delete("shared/images/planted.png")
    assert (outside / "secret.png").exists()


async def test_a_symlinked_project_folder_is_neither_served_nor_followed_on_delete(store, outside):
    (store.root / "projects").mkdir(parents=True)
    (store.root / "projects" / PROJECT).symlink_to(outside)
    (outside / "music").mkdir()
    (outside / "music" / "a.png").write_bytes(image("PNG"))
    assert store.locate(f"projects/{PROJECT}/music/a.png") is None
    with pytest.raises(PermissionError):
        await keep(store, wav(0.1))
    assert await store.delete_project(PROJECT) == 0
    assert (outside / "music" / "a.png").exists() and (outside / "secret.png").exists()
    assert not (store.root / "projects" / PROJECT).exists()


async def test_a_refused_upload_leaves_nothing_on_disk(store):
    with pytest.raises(PayloadTooLarge):
        await store.stage(chunks_of(b"\x01" * 3_000_000, 65536), max_bytes=2_000_000)
    assert files_under(store.root) == []


async def test_kept_files_are_served_from_inside_the_store_only(store):
    stored = await keep(store, wav(0.2))
    located = store.locate(stored.key)
    assert located is not None and located.content_type == "audio/wav"
    assert located.path.is_relative_to(store.root.resolve())
    assert files_under(store.root) == [located.path]


async def test_planted_links_are_never_listed_nor_followed_by_a_clips_clean_up(store, outside):
    kept = await keep(store, image("PNG"), folder="images")
    (store.root / "projects" / PROJECT / "images" / "planted.png").symlink_to(outside / "secret.png")
    assert [item.key for item in await store.listing(PROJECT, "images")] == [kept.key]
    generated = store.root / "projects" / PROJECT / "generated"
    generated.mkdir()
    (generated / f"clip4-{'a' * 32}.png").symlink_to(outside / "secret.png")
    assert await store.delete_generated(PROJECT, "clip4") == 0
    assert (outside / "secret.png").exists()
    (store.root / "shared").mkdir()
    (store.root / "shared" / "images").symlink_to(outside)
    assert await store.listing(None, "images") == []
