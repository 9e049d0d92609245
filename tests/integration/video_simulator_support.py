"""The /v1/videos simulator on a free loopback port, for the simulator's own tests and the provider adapter's.

`async with running_video_simulator(SimulatorConfig(api_key="k")) as sim:` gives `sim.base_url`
(`http://127.0.0.1:P/v1`, what an OpenAI client takes), `sim.state` (armed failures, stats, videos),
and a session for raw requests.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from attrs import frozen

from simulators.openai_video import SimulatorConfig, create_simulator_app
from simulators.openai_video.state import STATE, SimulatorState
from tests.loopback_server import serving


@frozen
class VideoSimulator:
    """A running simulator: its URLs, its state, and an HTTP session bound to it."""

    port: int
    state: SimulatorState
    session: aiohttp.ClientSession

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    async def arm(self, mode: str, count: int = 1) -> dict[str, int]:
        async with self.session.post("/sim/failures", json={"mode": mode, "count": count}) as response:
            assert response.status == 200, await response.text()
            return await response.json()

    async def stats(self) -> dict[str, Any]:
        async with self.session.get("/sim/stats") as response:
            return await response.json()

    async def wait_until_final(self, video_id: str, *, timeout: float = 30.0) -> dict[str, Any]:
        """Poll GET /v1/videos/{id} (with the configured key, if any) until completed or failed."""
        headers = self.auth_headers()
        async with asyncio.timeout(timeout):
            while True:
                async with self.session.get(f"/v1/videos/{video_id}", headers=headers) as response:
                    video = await response.json()
                if video.get("status") in ("completed", "failed"):
                    return video
                await asyncio.sleep(0.05)

    def auth_headers(self) -> dict[str, str]:
        key = self.state.config.api_key
        return {"Authorization": f"Bearer {key}"} if key else {}


@asynccontextmanager
async def running_video_simulator(config: SimulatorConfig) -> AsyncIterator[VideoSimulator]:
    """Serve the simulator on 127.0.0.1 (a free port) until the block ends."""
    app = create_simulator_app(config)
    async with serving(app) as port, aiohttp.ClientSession(f"http://127.0.0.1:{port}") as session:
        yield VideoSimulator(port, app[STATE], session)
