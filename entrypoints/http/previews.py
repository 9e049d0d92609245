"""A running job's latest sampler preview, as a JPEG (the WebSocket pushes each one as it comes)."""

from aiohttp import web

from domain.access import Role
from entrypoints.http.operation import Operation
from entrypoints.http.responses import use_cases

JPEG = {"image/jpeg": {"type": "string", "format": "binary",
                       "description": "The latest preview, at most 512 px on its long side"}}


async def job_preview(request: web.Request) -> web.Response:
    preview = await use_cases(request).get_job_preview()(request.match_info["job_id"])
    return web.Response(body=preview.image, content_type="image/jpeg", headers={"Cache-Control": "no-store"})


OPERATIONS = [
    Operation("GET", "/api/v1/queue/jobs/{job_id}/preview", job_preview,
              "A running job's latest sampler preview (JPEG); 404 while it has none", "queue", content=JPEG,
              role=Role.VIEWER, query_token=True),
]
