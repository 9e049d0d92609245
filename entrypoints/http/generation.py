"""Generation routes: model presets and user workflows."""

from aiohttp import web

from application.generation.delete_workflow import DeleteWorkflow, WorkflowDeleted
from application.generation.list_models import ModelInfo
from application.generation.register_workflow import RegisterWorkflow
from application.generation.update_workflow import UpdateWorkflow, WorkflowChanges
from application.queue.enqueue_batch import BatchQueued, EnqueueBatch
from application.queue.enqueue_generation import EnqueueGeneration
from application.queue.queries import BatchStatus
from domain.access import Role
from domain.queue_job import QueueJob
from domain.user_workflow import UserWorkflow
from entrypoints.http.job_owner import owner_of  # issue 14: fair share by owner
from entrypoints.http.operation import SKIP_LIMIT, Operation, PageOf
from entrypoints.http.request_parsing import query_int, read_command
from entrypoints.http.responses import respond, use_cases


async def list_models(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).list_models()())


async def register_workflow(request: web.Request) -> web.Response:
    command = await read_command(request, RegisterWorkflow)
    return respond(request, await use_cases(request).register_workflow()(command), status=201)


async def list_workflows(request: web.Request) -> web.Response:
    skip = query_int(request, "skip", default=0, minimum=0, maximum=1_000_000_000)
    limit = query_int(request, "limit", default=100, minimum=1, maximum=500)
    return respond(request, await use_cases(request).list_workflows()(skip=skip, limit=limit))


async def get_workflow(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).get_workflow()(request.match_info["workflow_id"]))


async def update_workflow(request: web.Request) -> web.Response:
    changes = await read_command(request, WorkflowChanges)
    command = UpdateWorkflow(workflow_id=request.match_info["workflow_id"], changes=changes)
    return respond(request, await use_cases(request).update_workflow()(command))


async def delete_workflow(request: web.Request) -> web.Response:
    command = DeleteWorkflow(workflow_id=request.match_info["workflow_id"])
    return respond(request, await use_cases(request).delete_workflow()(command))


async def generate_clip(request: web.Request) -> web.Response:
    command = await read_command(request, EnqueueGeneration)
    job = await use_cases(request).enqueue_generation()(command, owner=owner_of(request))
    return respond(request, job, status=202)


async def generate_batch(request: web.Request) -> web.Response:
    command = await read_command(request, EnqueueBatch)
    batch = await use_cases(request).enqueue_batch()(command, owner=owner_of(request))
    return respond(request, batch, status=202)


async def batch_status(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).batch_status()(request.match_info["batch_id"]))


BASE = "/api/v1/generation"
WORKFLOW = BASE + "/workflows/{workflow_id}"
OPERATIONS = [
    Operation("POST", BASE, generate_clip, "Generate one clip's image or video (queued)", "generation",
              status=202, body=EnqueueGeneration, response=QueueJob, errors=(409,), creates="job_id", role=Role.EDITOR),
    Operation("POST", BASE + "/batch", generate_batch, "Generate many clips: a list, a scene or a project",
              "generation", status=202, body=EnqueueBatch, response=BatchQueued, errors=(409,), creates="batch_id",
              created_id="/batch_id", role=Role.EDITOR),
    Operation("GET", BASE + "/batch/{batch_id}", batch_status, "A batch's progress and counts by state",
              "generation", response=BatchStatus, role=Role.VIEWER),
    Operation("GET", BASE + "/models", list_models, "Model presets and user workflows to generate with",
              "generation", response=list[ModelInfo], role=Role.VIEWER),
    Operation("POST", BASE + "/workflows", register_workflow,
              "Register an API-format ComfyUI workflow, checked against a server's node catalog (names are unique)",
              "generation", status=201, body=RegisterWorkflow, response=UserWorkflow, errors=(409, 502),
              creates="workflow_id", role=Role.EDITOR),
    Operation("GET", BASE + "/workflows", list_workflows, "List user workflows by name", "generation",
              response=PageOf(UserWorkflow), query=SKIP_LIMIT, role=Role.VIEWER),
    Operation("GET", WORKFLOW, get_workflow, "Get a user workflow", "generation", response=UserWorkflow,
              role=Role.VIEWER),
    Operation("PUT", WORKFLOW, update_workflow,
              "Rename a user workflow or change its definition (checked again against a server's node catalog)",
              "generation", body=WorkflowChanges, response=UserWorkflow, errors=(409, 502), role=Role.EDITOR),
    Operation("DELETE", WORKFLOW, delete_workflow, "Delete a user workflow (jobs already queued with it still run)",
              "generation", response=WorkflowDeleted, role=Role.EDITOR),
]
