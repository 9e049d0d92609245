"""Injected failures: how many of each mode are still armed, and what each one does to a running job."""

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from simulators.comfyui.config import FAILURE_MODES

INJECTED_MESSAGE = "Simulated failure injected by the ComfyUI simulator"


class FailureInjector:
    """Counts of armed failures.

    `refuse` (503, nothing queued) and `drop_response` (queued, then the connection closes unanswered) act on
    POST /prompt; `runtime_error`, `crash`, `drop_socket` and `hang` act on the next node that runs.
    """

    def __init__(self, armed: Mapping[str, int], *, crash: Callable[[], None],
                 drop_sockets: Callable[[], Awaitable[None]]):
        self.armed = {mode: int(armed.get(mode, 0)) for mode in FAILURE_MODES}
        self.crash = crash
        self.drop_sockets = drop_sockets

    def arm(self, mode: str, count: int) -> None:
        """Set how many times a mode fires (0 disarms it)."""
        if mode not in self.armed:
            raise ValueError(f"unknown failure mode {mode!r}; known: {', '.join(FAILURE_MODES)}")
        self.armed[mode] = max(0, count)

    def take(self, mode: str) -> bool:
        """Use up one armed failure of this mode, if any."""
        if self.armed[mode] <= 0:
            return False
        self.armed[mode] -= 1
        return True

    async def before_node(self) -> None:
        """Apply the first armed mid-job failure to the node about to run."""
        if self.take("runtime_error"):
            raise RuntimeError(INJECTED_MESSAGE)
        if self.take("crash"):
            self.crash()
            await _forever()
        if self.take("drop_socket"):
            await self.drop_sockets()
        if self.take("hang"):
            await _forever()


async def _forever() -> None:
    await asyncio.Event().wait()
