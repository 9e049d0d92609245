"""Media routes: music and image uploads (multipart, streamed), their listing and removal, and the stored files."""

from aiohttp import web

from application.media.delete_image import DeleteImage, ImageDeleted
from application.media.queries import ProjectImage
from application.media.remove_music import RemoveMusic
from application.media.upload_image import UploadedImage, UploadImage
from application.media.upload_music import UploadMusic
from domain.access import Role
from domain.project import Project
from entrypoints.http.file_serving import file_response
from entrypoints.http.operation import Operation, QueryParam
from entrypoints.http.request_parsing import TEXT_QUERY, query_text
from entrypoints.http.responses import respond, use_cases
from entrypoints.http.uploads import file_part

BASE = "/api/v1/media"
FILE_TYPES = ("audio/mpeg", "audio/aac", "audio/wav", "audio/flac", "audio/ogg", "audio/mp4", "audio/aiff",
              "image/png", "image/jpeg", "image/webp", "image/gif", "video/mp4", "video/quicktime", "video/webm",
              "video/x-matroska", "application/octet-stream")
FILE_CONTENT = {media_type: {"type": "string", "format": "binary"} for media_type in FILE_TYPES}
MUSIC_TYPES = ("audio/mpeg", "audio/wav", "audio/flac", "audio/ogg", "audio/mp4", "audio/aac", "audio/aiff")
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif")
IMAGE_TARGETS = (
    QueryParam("project_id", TEXT_QUERY,
               "Store the image with this project (deleted with it)"),
    QueryParam("character_id", TEXT_QUERY,
               "Append the image's URL to this character's reference images"),
)


async def upload_music(request: web.Request) -> web.Response:
    file_name, chunks = await file_part(request)
    command = UploadMusic(project_id=request.match_info["project_id"], chunks=chunks, file_name=file_name)
    return respond(request, await use_cases(request).upload_music()(command))


async def upload_image(request: web.Request) -> web.Response:
    project_id, character_id = query_text(request, "project_id"), query_text(request, "character_id")
    file_name, chunks = await file_part(request)
    command = UploadImage(chunks=chunks, file_name=file_name, project_id=project_id, character_id=character_id)
    return respond(request, await use_cases(request).upload_image()(command), status=201)


async def remove_music(request: web.Request) -> web.Response:
    command = RemoveMusic(project_id=request.match_info["project_id"])
    return respond(request, await use_cases(request).remove_music()(command))


async def list_project_images(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).list_project_images()(request.match_info["project_id"]))


async def delete_project_image(request: web.Request) -> web.Response:
    command = DeleteImage(name=request.match_info["name"], project_id=request.match_info["project_id"])
    return respond(request, await use_cases(request).delete_image()(command))


async def delete_shared_image(request: web.Request) -> web.Response:
    command = DeleteImage(name=request.match_info["name"])
    return respond(request, await use_cases(request).delete_image()(command))


async def project_file(request: web.Request) -> web.FileResponse:
    key = "projects/{project_id}/{folder}/{name}".format_map(request.match_info)
    return file_response(request, use_cases(request).locate_media_file()(key))


async def shared_file(request: web.Request) -> web.FileResponse:
    key = "shared/{folder}/{name}".format_map(request.match_info)
    return file_response(request, use_cases(request).locate_media_file()(key))


OPERATIONS = [
    Operation("POST", BASE + "/projects/{project_id}/upload-music", upload_music,
              "Upload the project's music (multipart `file`: MP3, WAV, FLAC, OGG/Opus, M4A/AAC or AIFF); "
              "replaces the previous song", "media", upload=True, accepts=MUSIC_TYPES, response=Project, errors=(409,),
              role=Role.EDITOR),
    Operation("DELETE", BASE + "/projects/{project_id}/music", remove_music,
              "Remove the project's music: its file, and `music` and `music_file` on the project", "media",
              response=Project, errors=(409,), role=Role.EDITOR),
    Operation("GET", BASE + "/projects/{project_id}/images", list_project_images,
              "List the images uploaded for a project, oldest first, with the characters using each", "media",
              response=list[ProjectImage], role=Role.VIEWER),
    Operation("DELETE", BASE + "/projects/{project_id}/images/{name}", delete_project_image,
              "Delete an image of a project; characters drop it from their reference images", "media",
              response=ImageDeleted, errors=(409,), role=Role.EDITOR),
    Operation("DELETE", BASE + "/images/{name}", delete_shared_image,
              "Delete a shared image (one uploaded without a project); characters drop it from their "
              "reference images", "media", response=ImageDeleted, errors=(409,), role=Role.EDITOR),
    Operation("POST", BASE + "/images", upload_image,
              "Upload an image (multipart `file`: PNG, JPEG, WEBP or GIF) for a character or as an init image",
              "media", status=201, upload=True, accepts=IMAGE_TYPES, query=IMAGE_TARGETS, response=UploadedImage,
              errors=(404, 409), role=Role.EDITOR),
    Operation("GET", BASE + "/files/projects/{project_id}/{folder}/{name}", project_file,
              "A project's stored file (music, images, generated takes), with ETag, Last-Modified and byte ranges",
              "media", content=FILE_CONTENT, ranges=True, role=Role.VIEWER, query_token=True),
    Operation("GET", BASE + "/files/shared/{folder}/{name}", shared_file,
              "A stored file that belongs to no project, with ETag, Last-Modified and byte ranges", "media",
              content=FILE_CONTENT, ranges=True, role=Role.VIEWER, query_token=True),
]
