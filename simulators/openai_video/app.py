"""create_simulator_app: the aiohttp application of a simulated `/v1/videos` provider."""

import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from aiohttp import web

from simulators.openai_video.config import SimulatorConfig
from simulators.openai_video.routes import sim, videos
from simulators.openai_video.routes.middlewares import authenticate, inject_failures, observe, translate_errors
from simulators.openai_video.state import STATE, build_state


def _assets_root(config: SimulatorConfig) -> tuple[Path, bool]:
    """Where rendered files go (`<root>/videos`), and whether that root is a temporary directory of our own."""
    if config.root is not None:
        return config.root / "videos", False
    return Path(tempfile.mkdtemp(prefix="openai-video-sim-")) / "videos", True


def _lifetime(assets: Path, *, temporary: bool) -> Callable[[web.Application], AsyncIterator[None]]:
    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        """Videos live in memory only, so their files go when the simulator starts and stops."""
        shutil.rmtree(assets, ignore_errors=True)
        assets.mkdir(parents=True)
        yield
        await app[STATE].registry.close()
        shutil.rmtree(assets.parent if temporary else assets, ignore_errors=True)
    return lifetime


def create_simulator_app(config: SimulatorConfig) -> web.Application:
    """An aiohttp app answering like OpenAI's Videos API and rendering placeholder MP4s."""
    assets, temporary = _assets_root(config)
    app = web.Application(client_max_size=config.max_upload_size,
                          middlewares=[observe, translate_errors, authenticate, inject_failures])
    app[STATE] = build_state(config, assets)
    app.router.add_routes(videos.routes)
    app.router.add_routes(sim.routes)
    app.cleanup_ctx.append(_lifetime(assets, temporary=temporary))
    return app
