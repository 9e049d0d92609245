"""Generation routes: model presets and user workflows."""

from aiohttp import web

from application.generation.list_models import ModelInfo
from application.generation.register_workflow import RegisterWorkflow
from domain.user_workflow import UserWorkflow
from entrypoints.http.operation import Operation
from entrypoints.http.request_parsing import read_command
from entrypoints.http.responses import respond, use_cases


async def list_models(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).list_models()())


async def register_workflow(request: web.Request) -> web.Response:
    command = await read_command(request, RegisterWorkflow)
    return respond(request, await use_cases(request).register_workflow()(command), status=201)


BASE = "/api/v1/generation"
OPERATIONS = [
    Operation("GET", BASE + "/models", list_models, "Model presets and user workflows to generate with",
              "generation", response=list[ModelInfo]),
    Operation("POST", BASE + "/workflows", register_workflow,
              "Register an API-format ComfyUI workflow, checked against a server's node catalog", "generation",
              status=201, body=RegisterWorkflow, response=UserWorkflow, errors=(409, 502)),
]
