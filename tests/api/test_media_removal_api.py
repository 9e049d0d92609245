"""Removing media through the API on SecantusDB: a project's music, its uploaded images, shared images, a take."""

import io
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import FormData
from aiohttp.test_utils import TestClient

from domain.generated_content import ContentKind, GeneratedContent
from entrypoints.container import Container
from tests.api.helpers import API, body_of, error_of, get, new_character, new_clip, new_project, new_scene
from tests.media_samples import image, wav


def form(data: bytes) -> FormData:
    body = FormData()
    body.add_field("file", io.BytesIO(data), filename="upload.bin", content_type="application/octet-stream")
    return body


async def upload_image(client: TestClient, fmt: str = "PNG", **params: str):
    return await body_of(await client.post(f"{API}/media/images", data=form(image(fmt)), params=params), 201)


async def chunks(data: bytes) -> AsyncIterator[bytes]:
    yield data


def name_of(key: str) -> str:
    return key.rsplit("/", 1)[-1]


async def test_removing_the_music_deletes_the_file_and_clears_the_projects_music_fields(client, settings):
    project = await new_project(client)
    uploaded = await body_of(await client.post(f"{API}/media/projects/{project['id']}/upload-music",
                                               data=form(wav(1.0))))
    path = settings.upload_dir / uploaded["music"]["key"]
    assert path.is_file()
    removed = await body_of(await client.delete(f"{API}/media/projects/{project['id']}/music"))
    assert (removed["music"], removed["music_file"], removed["version"]) == (None, None, uploaded["version"] + 1)
    assert not path.exists() and (await client.get(uploaded["music"]["url"])).status == 404
    assert (await get(client, f"/projects/{project['id']}"))["music"] is None
    again = await error_of(await client.delete(f"{API}/media/projects/{project['id']}/music"), 404)
    assert again["code"] == "RESOURCE_NOT_FOUND"
    await error_of(await client.delete(f"{API}/media/projects/no-such-project/music"), 404)


async def test_a_projects_images_are_listed_and_deleted_and_characters_drop_them(client, settings):
    project = await new_project(client)
    character = await new_character(client, project_id=project["id"])
    plain = await upload_image(client, "PNG", project_id=project["id"])
    referenced = await upload_image(client, "GIF", character_id=character["id"])
    await upload_image(client, "JPEG")  # shared
    listed = await get(client, f"/media/projects/{project['id']}/images")
    assert [(i["key"], i["url"], i["content_type"], i["size"], i["character_ids"]) for i in listed] == [
        (plain["key"], plain["url"], "image/png", plain["size"], []),
        (referenced["key"], referenced["url"], "image/gif", referenced["size"], [character["id"]])]

    deleted = await body_of(await client.delete(
        f"{API}/media/projects/{project['id']}/images/{name_of(referenced['key'])}"))
    assert deleted == {"key": referenced["key"], "character_ids": [character["id"]]}
    assert (await get(client, f"/characters/{character['id']}"))["reference_images"] == []
    assert not (settings.upload_dir / referenced["key"]).exists()
    assert (await client.get(referenced["url"])).status == 404
    assert [i["key"] for i in await get(client, f"/media/projects/{project['id']}/images")] == [plain["key"]]
    await error_of(await client.delete(
        f"{API}/media/projects/{project['id']}/images/{name_of(referenced['key'])}"), 404)
    await error_of(await client.get(f"{API}/media/projects/no-such-project/images"), 404)


async def test_a_shared_image_is_deleted_by_its_name(client, settings):
    project = await new_project(client)
    shared, owned = await upload_image(client), await upload_image(client, project_id=project["id"])
    await error_of(await client.delete(f"{API}/media/images/{name_of(owned['key'])}"), 404)
    await error_of(await client.delete(f"{API}/media/images/..%2F{name_of(owned['key'])}"), 404)
    deleted = await body_of(await client.delete(f"{API}/media/images/{name_of(shared['key'])}"))
    assert deleted == {"key": shared["key"], "character_ids": []}
    assert [path.name for path in settings.upload_dir.rglob("*") if path.is_file()] == [Path(owned["key"]).name]


async def test_deleting_a_gallery_take_deletes_its_file_and_hands_the_selection_on(client, container, settings):
    scene = await new_scene(client, (await new_project(client))["id"])
    clip = await new_clip(client, scene["id"])
    await generated_takes(container, clip["id"], 2)
    [first, second] = (await get(client, f"/clips/{clip['id']}"))["generated_images"]
    assert first["selected"] and not second["selected"]

    changed = await body_of(await client.delete(f"{API}/clips/{clip['id']}/gallery/{first['id']}"))
    assert [(t["id"], t["selected"]) for t in changed["generated_images"]] == [(second["id"], True)]
    assert not (settings.upload_dir / first["path"]).exists() and (settings.upload_dir / second["path"]).exists()
    assert (await client.get(first["url"])).status == 404
    await error_of(await client.delete(f"{API}/clips/{clip['id']}/gallery/{first['id']}"), 404)
    await error_of(await client.delete(f"{API}/clips/no-such-clip/gallery/{second['id']}"), 404)


async def generated_takes(container: Container, clip_id: str, count: int) -> None:
    """Store takes and file them into the clip's gallery, as the queue does."""
    now, media, uow = container.clock().now(), container.media_store(), container.uow()
    async with uow:
        clip = await uow.clips.get(clip_id)
        for _ in range(count):
            stored = await media.store_generated(clip.project_id, clip.id, "x.png", chunks(image("PNG")),
                                                 max_bytes=10**6)
            clip = clip.with_content(GeneratedContent(id=container.ids().new_id(), kind=ContentKind.IMAGE,
                                                      url=stored.url, path=stored.key, created_at=now), now=now)
        await uow.clips.update(clip)
        await uow.commit()
