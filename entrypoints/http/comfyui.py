"""ComfyUI server registry routes."""

from aiohttp import web

from application.comfyui.delete_server import DeleteServer, ServerDeleted
from application.comfyui.register_server import RegisterServer
from application.comfyui.update_server import ServerChanges, UpdateServer
from domain.access import Role
from domain.comfyui_server import ComfyUIServer, ModelCatalog
from entrypoints.http.operation import Operation
from entrypoints.http.request_parsing import read_command
from entrypoints.http.responses import respond, use_cases


async def register_server(request: web.Request) -> web.Response:
    command = await read_command(request, RegisterServer)
    server = await use_cases(request).register_server()(command)
    return respond(request, server, status=201)


async def list_servers(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).check_servers()())


async def get_server(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).get_server()(request.match_info["server_id"]))


async def update_server(request: web.Request) -> web.Response:
    changes = await read_command(request, ServerChanges)
    command = UpdateServer(server_id=request.match_info["server_id"], changes=changes)
    return respond(request, await use_cases(request).update_server()(command))


async def delete_server(request: web.Request) -> web.Response:
    command = DeleteServer(server_id=request.match_info["server_id"])
    return respond(request, await use_cases(request).delete_server()(command))


async def server_models(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).server_models()(request.match_info["server_id"]))


BASE = "/api/v1/comfyui/servers"
OPERATIONS = [
    Operation("POST", BASE, register_server, "Register a ComfyUI server (probed first)", "comfyui", status=201,
              body=RegisterServer, response=ComfyUIServer, errors=(409, 502), creates="server_id", role=Role.ADMIN),
    Operation("GET", BASE, list_servers, "List servers with live health (each probed now; no version changes)",
              "comfyui", response=list[ComfyUIServer], role=Role.VIEWER),
    Operation("GET", BASE + "/{server_id}", get_server, "Get a server with its last health check", "comfyui",
              response=ComfyUIServer, role=Role.VIEWER),
    Operation("PUT", BASE + "/{server_id}", update_server,
              "Rename, resize, enable/disable or move a server (an address in use is a 409)",
              "comfyui", body=ServerChanges, response=ComfyUIServer, errors=(409, 502), role=Role.ADMIN),
    Operation("DELETE", BASE + "/{server_id}", delete_server, "Unregister a server", "comfyui",
              response=ServerDeleted, role=Role.ADMIN),
    Operation("GET", BASE + "/{server_id}/models", server_models,
              "Model files the server offers (checkpoints, LoRAs, ...), read live from /object_info", "comfyui",
              response=ModelCatalog, errors=(502,), role=Role.VIEWER),
]
