"""create_simulator_app: the aiohttp application of a simulated ComfyUI, 0.3.64 or today's."""

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

from simulators.comfyui.config import SimulatorConfig
from simulators.comfyui.execution.workers import run_workers, stop_workers
from simulators.comfyui.routes import files, info, jobs, prompt, queue, sim, websocket
from simulators.comfyui.routes.middlewares import cors, origin_only
from simulators.comfyui.state import STATE, build_state


def _add_routes(app: web.Application, config: SimulatorConfig) -> None:
    """Every ComfyUI route, also under /api as the real server adds them, plus the /sim/ routes.

    Today's jobs routes are written `/api/jobs...` upstream, so they too gain a second, `/api/api/`, copy."""
    tables = [prompt.routes, queue.routes, files.routes, info.routes, websocket.routes]
    if not config.legacy:
        tables.append(jobs.routes)
    for table in tables:
        app.router.add_routes([web.route(r.method, "/api" + r.path, r.handler) for r in table])
        app.router.add_routes(table)
    app.router.add_routes(sim.routes)


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
    """An aiohttp app that answers like the configured ComfyUI version and renders placeholder media."""
    middleware = cors(config.cors_origin) if config.cors_origin else origin_only
    app = web.Application(client_max_size=config.max_upload_size, middlewares=[middleware])
    app[STATE] = build_state(config)
    _add_routes(app, config)
    app.cleanup_ctx.append(_workers)
    app.on_shutdown.append(_close_sockets)
    return app
