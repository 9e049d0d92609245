"""Today's jobs API: GET /api/jobs, GET /api/jobs/{id}, POST /api/jobs/{id}/cancel and /api/jobs/cancel."""

import json
from typing import Any

from aiohttp import web

from simulators.comfyui.execution import jobs
from simulators.comfyui.state import STATE, SimulatorState

routes = web.RouteTableDef()


def _bad(message: str, **extra: Any) -> web.Response:
    return web.json_response({"error": message, **extra}, status=400)


def _status_filter(value: str | None) -> list[str] | str | None:
    """The statuses asked for, or the error text naming the unknown ones."""
    if not value:
        return None
    wanted = [status.strip().lower() for status in value.split(",") if status.strip()]
    unknown = [status for status in wanted if status not in jobs.ALL_STATUSES]
    if unknown:
        return f"Invalid status value(s): {', '.join(unknown)}. Valid values: {', '.join(jobs.ALL_STATUSES)}"
    return wanted


def _integer(query: Any, name: str, default: int | None) -> int | None:
    """An integer query parameter; ValueError when it is not one."""
    return int(query[name]) if name in query else default


def _list_options(query: Any) -> dict[str, Any] | str:
    """The keyword arguments of get_all_jobs from GET /api/jobs's query, or the error text of a bad value."""
    statuses = _status_filter(query.get("status"))
    sort_by, sort_order = query.get("sort_by", "created_at").lower(), query.get("sort_order", "desc").lower()
    if isinstance(statuses, str):
        return statuses
    if sort_by not in ("created_at", "execution_duration"):
        return "sort_by must be 'created_at' or 'execution_duration'"
    if sort_order not in ("asc", "desc"):
        return "sort_order must be 'asc' or 'desc'"
    try:
        limit = _integer(query, "limit", None)
    except ValueError:
        return "limit must be an integer"
    if limit is not None and limit <= 0:
        return "limit must be a positive integer"
    try:
        offset = max(0, _integer(query, "offset", 0) or 0)
    except ValueError:
        return "offset must be an integer"
    return {"status_filter": statuses, "workflow_id": query.get("workflow_id"), "sort_by": sort_by,
            "sort_order": sort_order, "limit": limit, "offset": offset}


@routes.get("/api/jobs")
async def list_jobs(request: web.Request) -> web.Response:
    """GET /api/jobs: running, pending and finished jobs, filtered, sorted and paginated."""
    options = _list_options(request.rel_url.query)
    if isinstance(options, str):
        return _bad(options)
    queue = request.app[STATE].queue
    running, pending = queue.current()
    page, total = jobs.get_all_jobs(running, pending, queue.get_history(), **options)
    offset, limit = options["offset"], options["limit"]
    return web.json_response({"jobs": page, "pagination": {"offset": offset, "limit": limit, "total": total,
                                                           "has_more": offset + len(page) < total}})


@routes.get("/api/jobs/{job_id}")
async def get_job(request: web.Request) -> web.Response:
    """GET /api/jobs/{id}: one job in full, or 404."""
    queue, job_id = request.app[STATE].queue, request.match_info["job_id"]
    running, pending = queue.current()
    job = jobs.get_job(job_id, running, pending, queue.get_history(prompt_id=job_id))
    if job is None:
        return web.json_response({"error": "Job not found"}, status=404)
    return web.json_response(job)


def _cancel(state: SimulatorState, job_id: str) -> bool:
    """Interrupt the job if it is the one running, dequeue it if pending; whether either happened."""
    running, pending = state.queue.current()

    def interrupt(prompt_id: str) -> bool:
        return state.queue.is_running(prompt_id) and state.interrupt(prompt_id)

    def dequeue(prompt_id: str) -> bool:
        return state.queue.delete_queue_item(lambda item: item[1] == prompt_id)

    outcome = jobs.cancel_job(job_id, running, pending, state.queue.get_history(), interrupt=interrupt,
                              dequeue=dequeue)
    return outcome in (jobs.CANCEL_RUNNING, jobs.CANCEL_PENDING)


@routes.post("/api/jobs/{job_id}/cancel")
async def cancel_job(request: web.Request) -> web.Response:
    """POST /api/jobs/{id}/cancel: `{"cancelled": bool}`, false for a finished or unknown job."""
    return web.json_response({"cancelled": _cancel(request.app[STATE], request.match_info["job_id"])})


def _invalid_ids(job_ids: list[Any]) -> list[str]:
    invalid = []
    for job_id in job_ids:
        try:
            jobs.validate_job_id(job_id)
        except (ValueError, AttributeError):
            invalid.append(job_id if isinstance(job_id, str) else repr(job_id))
    return invalid


@routes.post("/api/jobs/cancel")
async def cancel_jobs(request: web.Request) -> web.Response:
    """POST /api/jobs/cancel `{"job_ids": [...]}`: every well-formed id cancelled if it can be; 400 if one is not."""
    try:
        body = await request.json()
    except json.JSONDecodeError:
        return _bad("Request body must be valid JSON")
    job_ids = body.get("job_ids") if isinstance(body, dict) else None
    if not isinstance(job_ids, list):
        return _bad("job_ids must be a list")
    invalid = _invalid_ids(job_ids)
    if invalid:
        return _bad("job_ids contains invalid id(s)", invalid_ids=invalid)
    state = request.app[STATE]
    results = [_cancel(state, job_id) for job_id in job_ids]
    return web.json_response({"cancelled": any(results)})
