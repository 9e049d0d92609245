"""Music routes: the song's analysis, synced lyrics laid out as clips, and a scene snapped to the beats."""

from aiohttp import BodyPartReader, web

from application.errors import PayloadTooLarge, UnsupportedMedia
from application.lyrics.import_lyrics import ImportedLyrics, ImportLyrics
from application.music.snap_scene import SnappedScene, SnapScene
from domain.access import Role
from domain.music import MusicAnalysis
from entrypoints.http.errors import BadRequest
from entrypoints.http.operation import Operation, QueryParam
from entrypoints.http.request_parsing import TEXT_QUERY, query_text, read_command
from entrypoints.http.responses import respond, use_cases
from entrypoints.http.slow_clients import within_body_timeout
from entrypoints.http.uploads import FILE_FIELD, MALFORMED, MAX_PARTS, MULTIPART, malformed

MAX_LYRICS_BYTES = 1024 * 1024
SCENE_FIELD = "scene_id"
LYRICS_TYPES = ("text/plain", "application/x-subrip")
SCENE_QUERY = QueryParam("scene_id", TEXT_QUERY, "Put every line in this scene (also a form field); else new "
                                                 "scenes after the last one, at blank lines and [Section] tags")


async def get_analysis(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).get_music_analysis()(request.match_info["project_id"]))


async def request_analysis(request: web.Request) -> web.Response:
    analysis = await use_cases(request).request_music_analysis()(request.match_info["project_id"])
    return respond(request, analysis, status=202)


async def import_lyrics(request: web.Request) -> web.Response:
    file_name, data, scene_id = await _lyrics_form(request)
    command = ImportLyrics(project_id=request.match_info["project_id"], data=data, file_name=file_name,
                           scene_id=scene_id or query_text(request, SCENE_FIELD))
    return respond(request, await use_cases(request).import_lyrics()(command), status=201)


async def snap_scene(request: web.Request) -> web.Response:
    command = await read_command(request, SnapScene, scene_id=request.match_info["scene_id"])
    return respond(request, await use_cases(request).snap_scene()(command))


async def _lyrics_form(request: web.Request) -> tuple[str | None, bytes, str | None]:
    """The lyrics file (at most 1 MiB) and the optional `scene_id` field of a small multipart form."""
    if request.content_type != MULTIPART:
        raise UnsupportedMedia(f"Send the lyrics as {MULTIPART} with a part named '{FILE_FIELD}'")
    try:
        reader = await request.multipart()
        found: tuple[str | None, bytes] | None = None
        scene_id = None
        for _ in range(MAX_PARTS):
            part = await within_body_timeout(request, reader.next())
            if part is None:
                break
            if not isinstance(part, BodyPartReader):
                raise malformed()
            value = await _capped(request, part)
            if part.name == FILE_FIELD:
                found = (part.filename, value)
            elif part.name == SCENE_FIELD:
                scene_id = value.decode("utf-8", "replace").strip() or None
    except MALFORMED:
        raise malformed() from None
    if found is None:
        raise BadRequest(f"The form has no '{FILE_FIELD}' part", {FILE_FIELD: "missing"})
    return found[0], found[1], scene_id


async def _capped(request: web.Request, part: BodyPartReader) -> bytes:
    data = bytearray()
    while chunk := await within_body_timeout(request, part.read_chunk(64 * 1024)):
        data += chunk
        if len(data) > MAX_LYRICS_BYTES:
            raise PayloadTooLarge(f"A lyrics file holds at most {MAX_LYRICS_BYTES // 1024} KiB")
    return bytes(data)


PROJECTS = "/api/v1/projects/{project_id}"
OPERATIONS = [
    Operation("GET", PROJECTS + "/music/analysis", get_analysis,
              "The analysis of the project's song: `pending`, then `ready` (duration, tempo, beat and bar times) "
              "or `failed` with the reason; 404 before any song or analysis", "music", response=MusicAnalysis,
              role=Role.VIEWER, after="a song is uploaded"),
    Operation("POST", PROJECTS + "/music/analysis", request_analysis,
              "Analyse the project's song again, in the background (202 with the pending analysis)", "music",
              status=202, response=MusicAnalysis, role=Role.EDITOR, after="a song is uploaded"),
    Operation("POST", PROJECTS + "/lyrics", import_lyrics,
              "Lay synced lyrics (multipart `file`: .lrc or .srt, UTF-8) out as clips, one per line at its time: "
              "in `scene_id` (a form field or query parameter), else in new scenes at blank lines and [Section] "
              "tags; a malformed file is a 400 naming the line", "music", status=201, upload=True,
              accepts=LYRICS_TYPES, query=(SCENE_QUERY,), response=ImportedLyrics, errors=(409,),
              role=Role.EDITOR),
    Operation("POST", "/api/v1/scenes/{scene_id}/snap", snap_scene,
              "Move each main clip's start and end to the nearest beat or bar of the analysed song (the scene's "
              "start in the cut counted); `fit_model` (a video preset) makes lengths frame counts it generates; "
              "409 without analysed music", "music", body=SnapScene, body_exclude=("scene_id",),
              response=SnappedScene, errors=(409,), role=Role.EDITOR),
]
