"""What a simulated node gets (its context) and gives back (outputs and UI), and how nodes are registered."""

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Protocol

from attrs import frozen

from simulators.comfyui.config import SimulatorConfig
from simulators.comfyui.execution.input_validation import CustomValidator


class ModelSlot(Protocol):
    """The worker slot's loaded model, for the model-switch delay."""

    async def load(self, name: str) -> None: ...


@frozen
class NodeResult:
    """A node's output values and, for output nodes, its UI entry (`images`, `animated`, ...)."""

    outputs: tuple[Any, ...] = ()
    ui: dict[str, Any] | None = None


@frozen(kw_only=True)
class NodeContext:
    """Everything a running node may use besides its inputs."""

    node_id: str
    config: SimulatorConfig
    slot: ModelSlot
    step: Callable[[int, int, Any], Awaitable[None]]
    prompt: dict[str, Any]
    extra_pnginfo: Any
    temp_suffix: str

    async def load_model(self, folder: str, name: str, *, switches: bool = False) -> None:
        """Fail like folder_paths.get_full_path_or_raise for a missing model; pay the switch delay if asked."""
        if name not in self.config.models.get(folder, ()) and not (folder == "vae" and name == "pixel_space"):
            raise FileNotFoundError(f"Model in folder '{folder}' with filename '{name}' not found.")
        if switches:
            await self.slot.load(name)

    async def sample(self, steps: int, target: Any = None) -> None:
        """Spread this node's latency over `steps` progress reports (value 1..steps, like a sampler);
        the previews of a latent `target` show it emerge.

        Step k is reported k/steps of the latency after the start, however long the reports before it took:
        rendering a preview is part of a step's time, as on a GPU, not added to the configured latency."""
        loop = asyncio.get_running_loop()
        started, latency = loop.time(), self.config.latency_of(self.class_type)
        for value in range(1, steps + 1):
            await asyncio.sleep(max(0.0, started + latency * value / max(steps, 1) - loop.time()))
            await self.step(value, steps, target)

    @property
    def class_type(self) -> str:
        return self.prompt[self.node_id]["class_type"]

    def directory(self, kind: str) -> Path:
        """The output, input or temp directory."""
        return {"output": self.config.output_dir, "input": self.config.input_dir, "temp": self.config.temp_dir}[kind]


NodeFunction = Callable[..., Awaitable[NodeResult]]


@frozen
class NodeImpl:
    """One class_type's behaviour: the coroutine, whether it paces itself by steps, and its own checks."""

    run: NodeFunction
    paced: bool = False
    validator: CustomValidator | None = None
    is_changed: Callable[..., Any] | None = None
