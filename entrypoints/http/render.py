"""Render routes: the storyboard sheet (PDF, a page as PNG) and the animatic (start a render, its job, the MP4)."""

from aiohttp import web

from application.ports.storyboard_renderer import Paper, SheetLayout
from application.render.render_storyboard import RenderStoryboard, RenderStoryboardPage
from application.render.start_animatic import StartAnimatic
from domain.access import Role
from domain.render_job import RenderJob
from entrypoints.http.content_disposition import attachment
from entrypoints.http.file_serving import file_response
from entrypoints.http.operation import Operation, QueryParam
from entrypoints.http.request_parsing import query_enum, query_int, read_command
from entrypoints.http.responses import respond, use_cases

BASE = "/api/v1/projects/{project_id}"
MAX_PAGE = 10_000
BINARY = {"type": "string", "format": "binary"}
SHEET_QUERY = (
    QueryParam("layout", {"type": "string", "enum": [item.value for item in SheetLayout], "default": "3x4"},
               "Panels per page, columns x rows"),
    QueryParam("paper", {"type": "string", "enum": [item.value for item in Paper], "default": "a4"}, "Paper size"),
)
PAGE_QUERY = (QueryParam("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
                         "Page of the sheet, from 1"), *SHEET_QUERY)


def _sheet_options(request: web.Request) -> tuple[SheetLayout, Paper]:
    return (query_enum(request, "layout", SheetLayout, SheetLayout.THREE_BY_FOUR),
            query_enum(request, "paper", Paper, Paper.A4))


async def storyboard_pdf(request: web.Request) -> web.Response:
    layout, paper = _sheet_options(request)
    sheet = await use_cases(request).render_storyboard()(
        RenderStoryboard(request.match_info["project_id"], layout, paper))
    return web.Response(body=sheet.content, content_type="application/pdf",
                        headers={"Content-Disposition": attachment(sheet.title, ".pdf"),
                                 "X-Page-Count": str(sheet.pages)})


async def storyboard_png(request: web.Request) -> web.Response:
    page = query_int(request, "page", default=1, minimum=1, maximum=MAX_PAGE)
    layout, paper = _sheet_options(request)
    shown = await use_cases(request).render_storyboard_page()(
        RenderStoryboardPage(request.match_info["project_id"], page, layout, paper))
    return web.Response(body=shown.png, content_type="image/png", headers={"X-Page-Count": str(shown.pages)})


async def start_animatic(request: web.Request) -> web.Response:
    command = await read_command(request, StartAnimatic, project_id=request.match_info["project_id"])
    return respond(request, await use_cases(request).start_animatic()(command), status=202)


async def animatic_job(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).animatic_job()(request.match_info["project_id"]))


async def animatic_file(request: web.Request) -> web.FileResponse:
    return file_response(request, await use_cases(request).locate_animatic()(request.match_info["project_id"]))


OPERATIONS = [
    Operation("GET", BASE + "/storyboard.pdf", storyboard_pdf,
              "The board as a printable storyboard sheet: a header with title, music and tempo, scenes in order, "
              "one panel per clip (its selected image, else its image prompt; name, timecode, length, lyrics, "
              "prompt), page numbers", "render", query=SHEET_QUERY, content={"application/pdf": BINARY},
              role=Role.VIEWER, query_token=True),
    Operation("GET", BASE + "/storyboard.png", storyboard_png, "One page of the storyboard sheet as a PNG (110 dpi)",
              "render", query=PAGE_QUERY, content={"image/png": BINARY}, role=Role.VIEWER,
              query_token=True),
    Operation("POST", BASE + "/animatic", start_animatic,
              "Render the board as an animatic (MP4: selected videos, else stills held, else title cards; the song; "
              "lyrics as captions); progress streams on the WebSocket as `animatic_update` messages", "render",
              status=202, body=StartAnimatic, body_exclude=("project_id",), response=RenderJob, errors=(409,),
              role=Role.EDITOR),
    Operation("GET", BASE + "/animatic", animatic_job, "The project's latest animatic render job", "render",
              response=RenderJob, role=Role.VIEWER, after="an animatic is started"),
    Operation("GET", BASE + "/animatic.mp4", animatic_file,
              "The latest finished animatic, with ETag, Last-Modified and byte ranges; 409 while a render runs",
              "render", content={"video/mp4": BINARY}, ranges=True, errors=(409,), role=Role.VIEWER,
              after="an animatic is rendered", query_token=True),
]
