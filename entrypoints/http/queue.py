"""Queue routes: jobs, their control, the queue's status and per-server load."""

from aiohttp import web

from application.queue.cancel_scope import CancelScope, ScopeCancelled  # issue 14
from application.queue.control_job import CancelJob, ChangePriority, PriorityChange, RetryJob
from application.queue.enqueue_generation import EnqueueGeneration
from application.queue.queries import JobFilter, QueueStatus, ServerLoad
from application.queue.queue_admin import FinishedCleared, PauseTarget, QueuePaused
from domain.access import Role
from domain.queue_job import JobStatus, QueueJob
from entrypoints.http.characters import PROJECT_FILTER
from entrypoints.http.generation import generate_clip
from entrypoints.http.operation import SKIP_LIMIT, Operation, PageOf, QueryParam
from entrypoints.http.request_parsing import TEXT_QUERY, query_enum, query_int, query_text, read_command
from entrypoints.http.responses import respond, use_cases

ID_FILTERS = tuple(QueryParam(name, TEXT_QUERY, f"Only jobs with this {name}")
                   for name in ("clip_id", "batch_id", "server_id"))
STATUS_FILTER = QueryParam("status", {"type": "string", "enum": [s.value for s in JobStatus]}, "Only jobs in this state")


def _page(request: web.Request) -> tuple[int, int]:
    return (query_int(request, "skip", default=0, minimum=0, maximum=1_000_000_000),
            query_int(request, "limit", default=100, minimum=1, maximum=500))


async def queue_status(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).queue_status()())


async def list_jobs(request: web.Request) -> web.Response:
    skip, limit = _page(request)
    job_filter = JobFilter(status=query_enum(request, "status", JobStatus, None), project_id=query_text(request, "project_id"),
                           clip_id=query_text(request, "clip_id"), batch_id=query_text(request, "batch_id"),
                           server_id=query_text(request, "server_id"))
    return respond(request, await use_cases(request).list_jobs()(job_filter, skip=skip, limit=limit))


async def project_jobs(request: web.Request) -> web.Response:
    skip, limit = _page(request)
    job_filter = JobFilter(project_id=request.match_info["project_id"])
    return respond(request, await use_cases(request).list_jobs()(job_filter, skip=skip, limit=limit))


async def get_job(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).get_job()(request.match_info["job_id"]))


async def cancel_job(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).cancel_job()(CancelJob(request.match_info["job_id"])))


async def retry_job(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).retry_job()(RetryJob(request.match_info["job_id"])))


async def change_priority(request: web.Request) -> web.Response:
    change = await read_command(request, PriorityChange)
    command = ChangePriority(job_id=request.match_info["job_id"], change=change)
    return respond(request, await use_cases(request).change_priority()(command))


async def clear_finished(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).clear_finished()(project_id=query_text(request, "project_id")))


async def pause(request: web.Request) -> web.Response:
    target = await read_command(request, PauseTarget)
    return respond(request, await use_cases(request).set_paused()(target, paused=True))


async def resume(request: web.Request) -> web.Response:
    target = await read_command(request, PauseTarget)
    return respond(request, await use_cases(request).set_paused()(target, paused=False))


async def server_loads(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).server_loads()())


async def cancel_scope(request: web.Request) -> web.Response:  # issue 14
    command = await read_command(request, CancelScope)
    return respond(request, await use_cases(request).cancel_scope()(command))


BASE = "/api/v1/queue"
JOB = BASE + "/jobs/{job_id}"
OPERATIONS = [
    Operation("POST", BASE + "/cancel", cancel_scope,
              "Cancel every waiting job and interrupt every running one of a batch, scene, project or clip "
              "(exactly one); answers the counts", "queue", body=CancelScope, response=ScopeCancelled,
              role=Role.EDITOR),  # issue 14
    Operation("POST", BASE + "/jobs", generate_clip, "Queue a generation job for a clip (as POST /generation)",
              "queue", status=202, body=EnqueueGeneration, response=QueueJob, operation_id="enqueue_job",
              errors=(409,), creates="job_id", role=Role.EDITOR),
    Operation("GET", BASE + "/status", queue_status, "Counts by state, pause switches, capacity up", "queue",
              response=QueueStatus, role=Role.VIEWER),
    Operation("GET", BASE + "/jobs", list_jobs, "List jobs, newest first, filtered", "queue",
              response=PageOf(QueueJob), query=(*SKIP_LIMIT, STATUS_FILTER, PROJECT_FILTER, *ID_FILTERS),
              role=Role.VIEWER),
    Operation("GET", JOB, get_job, "Get a job (status, progress, server, retries, result)", "queue",
              response=QueueJob, role=Role.VIEWER),
    Operation("POST", JOB + "/cancel", cancel_job, "Cancel a job; a running one is interrupted on its server",
              "queue", response=QueueJob, errors=(409,), role=Role.EDITOR),
    Operation("POST", JOB + "/retry", retry_job, "Run a failed or cancelled job again", "queue",
              response=QueueJob, errors=(409,), role=Role.EDITOR),
    Operation("PUT", JOB + "/priority", change_priority, "Change a waiting job's priority", "queue",
              body=PriorityChange, response=QueueJob, errors=(409,), role=Role.EDITOR),
    Operation("GET", BASE + "/projects/{project_id}/jobs", project_jobs, "A project's jobs, newest first", "queue",
              response=PageOf(QueueJob), query=SKIP_LIMIT, role=Role.VIEWER),
    Operation("DELETE", BASE + "/jobs/finished", clear_finished, "Delete completed, failed and cancelled jobs",
              "queue", response=FinishedCleared, query=(PROJECT_FILTER,), role=Role.ADMIN),
    Operation("POST", BASE + "/pause", pause, "Pause the queue, or one server (`server_id`)", "queue",
              body=PauseTarget, response=QueuePaused, role=Role.ADMIN),
    Operation("POST", BASE + "/resume", resume, "Resume the queue, or one server (`server_id`)", "queue",
              body=PauseTarget, response=QueuePaused, role=Role.ADMIN),
    Operation("GET", BASE + "/servers", server_loads, "Per-server load: capacity, running jobs, health, pause",
              "queue", response=list[ServerLoad], role=Role.VIEWER),
]
