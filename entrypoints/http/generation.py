"""Generation routes: model presets and user workflows."""

from aiohttp import web

from application.generation.list_models import ModelInfo
from application.generation.register_workflow import RegisterWorkflow
from application.queue.enqueue_batch import BatchQueued, EnqueueBatch
from application.queue.enqueue_generation import EnqueueGeneration
from application.queue.queries import BatchStatus
from domain.queue_job import QueueJob
from domain.user_workflow import UserWorkflow
from entrypoints.http.operation import Operation
from entrypoints.http.request_parsing import read_command
from entrypoints.http.responses import respond, use_cases


async def list_models(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).list_models()())


async def register_workflow(request: web.Request) -> web.Response:
    command = await read_command(request, RegisterWorkflow)
    return respond(request, await use_cases(request).register_workflow()(command), status=201)


async def generate_clip(request: web.Request) -> web.Response:
    command = await read_command(request, EnqueueGeneration)
    job = await use_cases(request).enqueue_generation()(command)
    return respond(request, job, status=202)


async def generate_batch(request: web.Request) -> web.Response:
    command = await read_command(request, EnqueueBatch)
    batch = await use_cases(request).enqueue_batch()(command)
    return respond(request, batch, status=202)


async def batch_status(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).batch_status()(request.match_info["batch_id"]))


BASE = "/api/v1/generation"
OPERATIONS = [
    Operation("POST", BASE, generate_clip, "Generate one clip's image or video (queued)", "generation",
              status=202, body=EnqueueGeneration, response=QueueJob),
    Operation("POST", BASE + "/batch", generate_batch, "Generate many clips: a list, a scene or a project",
              "generation", status=202, body=EnqueueBatch, response=BatchQueued),
    Operation("GET", BASE + "/batch/{batch_id}", batch_status, "A batch's progress and counts by state",
              "generation", response=BatchStatus),
    Operation("GET", BASE + "/models", list_models, "Model presets and user workflows to generate with",
              "generation", response=list[ModelInfo]),
    Operation("POST", BASE + "/workflows", register_workflow,
              "Register an API-format ComfyUI workflow, checked against a server's node catalog", "generation",
              status=201, body=RegisterWorkflow, response=UserWorkflow, errors=(409, 502)),
]
