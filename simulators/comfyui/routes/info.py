"""Read-only handlers: /system_stats, /object_info, /features, /embeddings and /models."""

import os
import sys
from typing import Any

from aiohttp import web

from simulators.comfyui.config import SimulatorConfig
from simulators.comfyui.nodes.catalog import MODEL_FOLDERS
from simulators.comfyui.state import STATE

routes = web.RouteTableDef()


def server_features(config: SimulatorConfig) -> dict[str, Any]:
    """The feature flags the server announces (GET /features and the WebSocket handshake)."""
    if config.legacy:
        return {"supports_preview_metadata": True, "max_upload_size": config.max_upload_size}
    return {"supports_preview_metadata": True, "supports_model_type_tags": True,
            "max_upload_size": config.max_upload_size, "extension": {"manager": {"supports_v4": True}},
            "node_replacements": True, "assets": True}


def _versions(config: SimulatorConfig) -> dict[str, Any]:
    """The version fields of /system_stats: 0.3.64's as recorded, today's from upstream requirements.txt."""
    frontend, templates = ("1.27.10", "0.1.95") if config.legacy else ("1.53.6", "0.11.73")
    return {"os": os.name if config.legacy else sys.platform, "comfyui_version": config.comfyui_version,
            "required_frontend_version": frontend, "installed_templates_version": templates,
            "required_templates_version": templates}


def _memory() -> tuple[int, int]:
    page = os.sysconf("SC_PAGE_SIZE")
    return os.sysconf("SC_PHYS_PAGES") * page, os.sysconf("SC_AVPHYS_PAGES") * page


@routes.get("/system_stats")
async def system_stats(request: web.Request) -> web.Response:
    """GET /system_stats."""
    total, free = _memory()
    versions = _versions(request.app[STATE].config)
    system = {
        "os": versions.pop("os"), "ram_total": total, "ram_free": free, **versions,
        "python_version": sys.version, "pytorch_version": "none (simulator)", "embedded_python": False,
        "argv": sys.argv,
    }
    device = {"name": "cpu", "type": "cpu", "index": None, "vram_total": total, "vram_free": free,
              "torch_vram_total": total, "torch_vram_free": free}
    return web.json_response({"system": system, "devices": [device]})


@routes.get("/features")
async def features(request: web.Request) -> web.Response:
    """GET /features."""
    return web.json_response(server_features(request.app[STATE].config))


@routes.get("/object_info")
async def object_info(request: web.Request) -> web.Response:
    """GET /object_info: every node class."""
    return web.json_response(request.app[STATE].catalog.object_info())


@routes.get("/object_info/{node_class}")
async def object_info_node(request: web.Request) -> web.Response:
    """GET /object_info/{class}: one class, or {} when unknown."""
    catalog, name = request.app[STATE].catalog, request.match_info["node_class"]
    return web.json_response({name: catalog.info(name)} if name in catalog else {})


@routes.get("/embeddings")
async def embeddings(request: web.Request) -> web.Response:
    """GET /embeddings: names without extension."""
    names = request.app[STATE].config.models.get("embeddings", ())
    return web.json_response([os.path.splitext(name)[0] for name in names])


@routes.get("/models")
async def model_folders(request: web.Request) -> web.Response:
    """GET /models: the model folder names."""
    return web.json_response(list(MODEL_FOLDERS))


@routes.get("/models/{folder}")
async def models(request: web.Request) -> web.Response:
    """GET /models/{folder}: the files of one folder, 404 for an unknown folder."""
    folder = request.match_info["folder"]
    if folder not in MODEL_FOLDERS:
        return web.Response(status=404)
    return web.json_response(sorted(request.app[STATE].config.models.get(folder, ())))
