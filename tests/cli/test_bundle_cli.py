"""`storycanvas bundle export|import`: a whole project into one zip and back, under new ids; all or nothing."""

import json
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import attrs
import pytest

from adapters.mongo.client import connect
from application.characters.create_character import CreateCharacter
from application.clips.create_clip_alternate import CreateClipAlternate
from application.media.upload_image import UploadImage
from application.media.upload_music import UploadMusic
from application.scenes.create_scene_alternate import CreateSceneAlternate
from application.templates.create_template import CreateTemplate
from entrypoints.cli.output import as_data
from entrypoints.cli.runtime import open_container
from entrypoints.container import Container
from tests.cli.cli_support import ok, ok_json, one_error_line, storycanvas
from tests.media_samples import image, wav

pytestmark = pytest.mark.timeout(240)
LINKS = {"id", "project_id", "scene_id", "parent_scene_id", "parent_clip_id", "character_id", "version", "url", "path",
         "poster_url", "poster_path", "job_id", "key", "board_version", "music_file", "reference_images"}


async def chunks(content: bytes) -> AsyncIterator[bytes]:
    yield content


@pytest.fixture
async def empty_settings(cli_settings, tmp_path, secantus_url):
    """Another, empty database and media directory on the same server."""
    name = f"import_{uuid4().hex[:12]}"
    yield attrs.evolve(cli_settings, db_name=name, upload_dir=tmp_path / "imported-uploads")
    database = await connect(secantus_url, name)
    await database.handle.client.drop_database(name)
    await database.close()


async def _full_project(settings, container, simulator) -> str:
    """Scenes with an alternate, clips with an alternate and a character, takes with files, music, a template."""
    project_id = await ok(settings, "projects", "create", "Everything", "--description", "all of it")
    await container.upload_music()(UploadMusic(project_id, chunks(wav(2.0)), "song.wav"))
    character = await container.create_character()(CreateCharacter(name="Ava", trigger_words=("ava",),
                                                                   project_id=project_id))
    await container.upload_image()(UploadImage(chunks(image()), "ava.png", project_id, character.id))
    await container.create_template()(CreateTemplate(name="Noir", image_prompt="noir {prompt}", project_id=project_id))
    intro = await ok(settings, "scenes", "add", project_id, "Intro")
    await ok(settings, "scenes", "add", project_id, "Outro")
    first = await ok(settings, "clips", "add", intro, "Ava drives", "--length", "2", "--character", character.id,
                     "--lyrics", "night", "--image-prompt", "ava at the wheel")
    await ok(settings, "clips", "add", intro, "Road", "--length", "1")
    await container.create_clip_alternate()(CreateClipAlternate(clip_id=first, name="Ava drives, closer"))
    await container.create_scene_alternate()(CreateSceneAlternate(scene_id=intro, name="Intro, by day"))
    await ok(settings, "servers", "add", simulator.url)
    assert (await storycanvas(settings, "generate", project_id, "--wait", "--alternates")).exit_code == 0
    return project_id


def _without_links(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_links(v) for k, v in value.items() if k not in LINKS}
    if isinstance(value, list):
        return [_without_links(item) for item in value]
    return value


async def _files(container, board: dict[str, Any]) -> list[bytes]:
    media = container.media_store()
    keys = [board["music"]["key"]] + [take["path"] for scene in board["scenes"] for clip in scene["clips"]
                                      for take in clip["generated_images"] + clip["generated_videos"]]
    return [await media.read(key) for key in keys]


def _parents(board: dict[str, Any]) -> list[tuple[str, str | None]]:
    """Each scene and clip by name with its parent's name: the links survive the new ids."""
    names = {s["id"]: s["name"] for s in board["scenes"]} | {c["id"]: c["name"] for s in board["scenes"]
                                                              for c in s["clips"]}
    return sorted([(s["name"], names.get(s["parent_scene_id"])) for s in board["scenes"]]
                  + [(c["name"], names.get(c["parent_clip_id"])) for s in board["scenes"] for c in s["clips"]],
                  key=str)


async def test_an_import_into_an_empty_database_reproduces_the_project(cli_settings, cli_container, empty_settings,
                                                                       simulator, tmp_path):
    project_id = await _full_project(cli_settings, cli_container, simulator)
    bundle = tmp_path / "everything.storycanvas.zip"
    written = await ok_json(cli_settings, "bundle", "export", project_id, "-o", str(bundle))
    assert (written["scenes"], written["clips"], written["files"]) == (3, 6, 1 + 1 + 6)

    imported = await ok_json(empty_settings, "bundle", "import", str(bundle))
    assert imported["project_id"] != project_id and (imported["scenes"], imported["clips"]) == (3, 6)
    source = await ok_json(cli_settings, "projects", "show", project_id)
    copy = await ok_json(empty_settings, "projects", "show", imported["project_id"])
    assert _without_links(copy) == _without_links(source)
    assert _parents(copy) == _parents(source)
    assert copy["music"]["key"].startswith(f"projects/{imported['project_id']}/music/")
    # the files travelled: the copy's media directory holds the same bytes under its own keys
    assert await _files(Container(settings=empty_settings), copy) == await _files(cli_container, source)
    characters = await _characters(empty_settings, imported["project_id"])
    assert [(c["name"], c["trigger_words"]) for c in characters] == [("Ava", ["ava"])]
    clip = next(c for s in copy["scenes"] for c in s["clips"] if c["name"] == "Ava drives")
    assert clip["character_id"] == characters[0]["id"]
    assert characters[0]["reference_images"][0].endswith(".png")
    assert f"/projects/{imported['project_id']}/images/" in characters[0]["reference_images"][0]


async def _characters(settings, project_id: str) -> list[dict[str, Any]]:
    async with open_container(settings) as container:
        return as_data(await container.list_project_characters()(project_id))


def _foreign(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("README.txt", "a zip of something else")
    return path


def _rewritten(bundle: Path, path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(path, "w") as target:
        manifest = json.loads(source.read("manifest.json"))
        change(manifest)
        target.writestr("manifest.json", json.dumps(manifest))
        for name in source.namelist():
            if name != "manifest.json" and name in {f"files/{key}" for key in manifest["files"][1:]}:
                target.writestr(name, source.read(name))
    return path


async def _nothing_imported(settings) -> None:
    assert (await ok_json(settings, "projects", "list"))["total"] == 0
    stored = [p for p in settings.upload_dir.rglob("*") if p.is_file()] if settings.upload_dir.exists() else []
    assert stored == []


async def test_corrupt_foreign_or_damaged_bundles_import_nothing(cli_settings, empty_settings, tmp_path):
    project_id = await ok(cli_settings, "projects", "create", "Small")
    scene = await ok(cli_settings, "scenes", "add", project_id, "Intro")
    await ok(cli_settings, "clips", "add", scene, "A", "--length", "2")
    bundle = tmp_path / "small.zip"
    await ok(cli_settings, "bundle", "export", project_id, "-o", str(bundle))
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 not really")
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(bundle.read_bytes()[: bundle.stat().st_size // 2])

    def negative_length(manifest: dict[str, Any]) -> None:
        manifest["clips"][0]["length"] = -1

    def orphan_clip(manifest: dict[str, Any]) -> None:
        manifest["clips"][0]["scene_id"] = "elsewhere"

    def missing_file(manifest: dict[str, Any]) -> None:
        manifest["files"] = ["projects/x/music/gone.wav"]

    cases = {junk: "not a readable zip", truncated: "not a readable zip", _foreign(tmp_path / "foreign.zip"):
             "not a StoryCanvas bundle", _rewritten(bundle, tmp_path / "bad.zip", negative_length): "damaged manifest",
             _rewritten(bundle, tmp_path / "orphan.zip", orphan_clip): "names a scene",
             _rewritten(bundle, tmp_path / "missing.zip", missing_file): "lacks files/projects/x/music/gone.wav",
             tmp_path / "absent.zip": "cannot read"}
    for path, reason in cases.items():
        line = one_error_line(await storycanvas(empty_settings, "bundle", "import", str(path)), 1)
        assert reason in line, line
    await _nothing_imported(empty_settings)


async def test_bundle_export_to_an_unwritable_path_is_one_line_and_leaves_nothing(cli_settings, tmp_path):
    project_id = await ok(cli_settings, "projects", "create", "Small")
    target = tmp_path / "missing-dir" / "small.zip"
    line = one_error_line(await storycanvas(cli_settings, "bundle", "export", project_id, "-o", str(target)), 1)
    assert "missing-dir" in line and not target.parent.exists()
    assert "Project with id 'nope'" in one_error_line(
        await storycanvas(cli_settings, "bundle", "export", "nope", "-o", str(tmp_path / "x.zip")), 3)
    assert list(tmp_path.glob("*.partial")) == []
