"""Export routes: the board as an editing timeline, versioned and under the legacy paths, byte for byte alike."""

from aiohttp import web

from adapters.export.exporter import OTIO_MEDIA
from adapters.export.json_format import TIMELINE_JSON_SCHEMA
from application.export.export_timeline import DEFAULT_FPS, DEFAULT_START, ExportTimeline
from application.ports.timeline_exporter import ExportFormat
from domain.access import Role
from domain.music import MarkerChoice
from domain.timecode import RATES, TIMECODE_PATTERN
from entrypoints.http.content_disposition import attachment
from entrypoints.http.errors import BadRequest
from entrypoints.http.operation import Handler, Operation, QueryParam
from entrypoints.http.request_parsing import query_enum
from entrypoints.http.responses import use_cases

TEXT = {"type": "string"}
CONTENT = {"application/xml": TEXT, "text/plain": TEXT, OTIO_MEDIA: {"type": "object"},
           "application/json": TIMELINE_JSON_SCHEMA}
LEGACY_CONTENT = {ExportFormat.FCPXML: "application/xml", ExportFormat.EDL: "text/plain",
                  ExportFormat.RESOLVE: OTIO_MEDIA, ExportFormat.JSON: "application/json"}
EXPORT_QUERY = (
    QueryParam("fps", {"type": "string", "enum": list(RATES), "default": DEFAULT_FPS}, "Timeline frame rate"),
    QueryParam("start_timecode", {"type": "string", "pattern": TIMECODE_PATTERN, "default": DEFAULT_START},
               "Timecode of the first frame, HH:MM:SS:FF (non-drop-frame); FF below the frame rate"),
    QueryParam("markers", {"type": "string", "enum": [item.value for item in MarkerChoice], "default": "none"},
               "Mark the analysed song's beats or bars on the timeline (409 when the song is not analysed)"),
)


def export_format(raw: str) -> ExportFormat:
    try:
        return ExportFormat(raw)
    except ValueError:
        allowed = ", ".join(item.value for item in ExportFormat)
        raise BadRequest(f"Unknown export format; use one of {allowed}", {"format": f"one of {allowed}"}) from None


async def _export(request: web.Request, fmt: ExportFormat) -> web.Response:
    command = ExportTimeline(project_id=request.match_info["project_id"], format=fmt,
                             fps=request.query.get("fps", DEFAULT_FPS),
                             start_timecode=request.query.get("start_timecode", DEFAULT_START),
                             markers=query_enum(request, "markers", MarkerChoice, MarkerChoice.NONE))
    exported = await use_cases(request).export_timeline()(command)
    return web.Response(body=exported.content, content_type=exported.media_type, charset="utf-8",
                        headers={"Content-Disposition": attachment(exported.title, exported.extension)})


async def export_timeline(request: web.Request) -> web.Response:
    return await _export(request, export_format(request.match_info["format"]))


def legacy_handler(fmt: ExportFormat) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        return await _export(request, fmt)

    handler.__name__ = f"legacy_export_{fmt.value}"
    return handler


OPERATIONS = [
    Operation("GET", "/api/v1/projects/{project_id}/export/{format}", export_timeline,
              "Export the board as a timeline: fcpxml (FCPXML 1.10), edl (CMX 3600), resolve (.otio for "
              "DaVinci Resolve 18.5+), resolve-xml (FCP 7 XML), otio, json", "export",
              query=EXPORT_QUERY, content=CONTENT, errors=(409,),
              path_schemas={"format": {"type": "string", "enum": [item.value for item in ExportFormat]}},
              role=Role.EDITOR),
    *(Operation("GET", f"/api/projects/{{project_id}}/export/{fmt.value}", legacy_handler(fmt),
                f"Legacy path of the {fmt.value} export (same bytes as /api/v1)", "export", query=EXPORT_QUERY,
                content={media: CONTENT[media]}, errors=(409,), role=Role.EDITOR) for fmt, media in LEGACY_CONTENT.items()),
]
