"""create_simulator_app: the aiohttp application of a simulated ComfyUI 0.3.64."""

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

from adapters.comfyui.simulator import routes_files, routes_info, routes_prompt, routes_sim, websocket
from adapters.comfyui.simulator.config import SimulatorConfig
from adapters.comfyui.simulator.middlewares import cors, origin_only
from adapters.comfyui.simulator.state import STATE, build_state
from adapters.comfyui.simulator.workers import run_workers, stop_workers


def _add_routes(app: web.Application) -> None:
    """Every ComfyUI route, also under /api as the real server adds them, plus the /sim/ routes."""
    tables = [routes_prompt.routes, routes_files.routes, routes_info.routes, websocket.routes]
    for table in tables:
        app.router.add_routes([web.route(r.method, "/api" + r.path, r.handler) for r in table])
        app.router.add_routes(table)
    app.router.add_routes(routes_sim.routes)


async def _workers(app: web.Application) -> AsyncIterator[None]:
    state = app[STATE]
    _empty_temp(state.config.temp_dir)
    state.tasks = await run_workers(state.executors, state.queue, state.messenger, state.stats,
                                    state.config.history_delay)
    yield
    await stop_workers(state.tasks)
    shutil.rmtree(state.config.temp_dir, ignore_errors=True)


def _empty_temp(temp_dir: Path) -> None:
    """ComfyUI wipes its temp directory when it starts and when it stops."""
    shutil.rmtree(temp_dir, ignore_errors=True)
    temp_dir.mkdir(parents=True, exist_ok=True)


async def _close_sockets(app: web.Application) -> None:
    for socket in list(app[STATE].messenger.sockets.values()):
        await socket.close()


def create_simulator_app(config: SimulatorConfig) -> web.Application:
    """An aiohttp app that answers like ComfyUI 0.3.64 and renders placeholder media."""
    middleware = cors(config.cors_origin) if config.cors_origin else origin_only
    app = web.Application(client_max_size=config.max_upload_size, middlewares=[middleware])
    app[STATE] = build_state(config)
    _add_routes(app)
    app.cleanup_ctx.append(_workers)
    app.on_shutdown.append(_close_sockets)
    return app
