"""BundleArchive contract, against the in-memory fake and the zip files."""

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.bundles.zip_archive import ZipBundleArchive
from adapters.fakes.bundle_archive import InMemoryBundleArchive
from application.ports.bundle_archive import BundleArchive, InvalidBundle, ProjectBundle
from domain.character import Character
from domain.clip import Clip
from domain.generated_content import ContentKind, GeneratedContent
from domain.media import MusicTrack
from domain.project import Project
from domain.scene import Scene
from domain.template import Template

NOW = datetime(2026, 5, 1, 12, 0, 0, 123000, tzinfo=UTC)
TAKE = "projects/p1/generated/c1-take.png"
SONG = "projects/p1/music/song.wav"


def bundle() -> ProjectBundle:
    music = MusicTrack(key=SONG, url=f"/media/{SONG}", content_type="audio/wav", format="wav", size=4,
                       duration_s=2.5, original_name="Song.wav")
    take = GeneratedContent(id="t1", kind=ContentKind.IMAGE, url=f"/media/{TAKE}", created_at=NOW, model="sdxl",
                            seed=7, params={"steps": 4, "cfg": 6.5, "loras": ["a"]}, path=TAKE, selected=True)
    return ProjectBundle(
        project=Project(id="p1", name="Ünïcode ✓", description=None, music_file=SONG, created_at=NOW,
                        updated_at=NOW, music=music),
        scenes=(Scene(id="s1", project_id="p1", name="Intro", description="d", order=0, created_at=NOW,
                      updated_at=NOW),),
        clips=(Clip(id="c1", scene_id="s1", project_id="p1", name="A", timeline_position=0.0, length=2.0,
                    created_at=NOW, updated_at=NOW, generated_images=(take,), character_id="ch1"),),
        characters=(Character(id="ch1", name="Ava", created_at=NOW, updated_at=NOW, trigger_words=("ava",),
                              project_id="p1"),),
        templates=(Template(id="tp1", name="Noir", created_at=NOW, updated_at=NOW, project_id="p1"),),
        files={TAKE: b"\x89PNG take", SONG: b"RIFF"},
    )


@pytest.fixture(params=["fake", "zip"])
def archive(request: pytest.FixtureRequest) -> tuple[BundleArchive, Callable[[Path], None]]:
    """The archive, and how to put something that is no bundle at a path."""
    if request.param == "fake":
        return InMemoryBundleArchive(), lambda path: None
    return ZipBundleArchive(), lambda path: path.write_bytes(b"not a zip at all")


async def test_a_written_bundle_reads_back_equal(archive, tmp_path):
    subject, _ = archive
    size = await subject.write(bundle(), tmp_path / "b.zip")
    assert size > 0
    assert await subject.read(tmp_path / "b.zip") == bundle()


async def test_what_is_no_bundle_is_invalid(archive, tmp_path):
    subject, plant = archive
    plant(tmp_path / "other.zip")
    with pytest.raises(InvalidBundle):
        await subject.read(tmp_path / "other.zip")
    with pytest.raises(InvalidBundle):
        await subject.read(tmp_path / "absent.zip")


async def test_an_unwritable_destination_raises_oserror_and_leaves_nothing(archive, tmp_path):
    subject, _ = archive
    with pytest.raises(OSError):
        await subject.write(bundle(), tmp_path / "missing" / "b.zip")
    with pytest.raises(InvalidBundle):
        await subject.read(tmp_path / "missing" / "b.zip")
    assert list(tmp_path.iterdir()) == []
