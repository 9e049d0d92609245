"""One execution slot (a real ComfyUI has one): its node cache, loaded model and interrupt flag."""

import asyncio

from attrs import define, field

from simulators.comfyui.execution.output_cache import OutputCache
from simulators.comfyui.execution.stats import SimulatorStats


class InterruptProcessing(Exception):
    """comfy.model_management.InterruptProcessingException."""


@define
class WorkerSlot:
    """A slot runs one prompt at a time; switching its checkpoint/UNET costs `switch_delay` seconds."""

    index: int
    cache: OutputCache
    stats: SimulatorStats
    switch_delay: float
    model: str | None = None
    interrupted: bool = False
    prompt_id: str | None = None
    client_id: str | None = None
    last_node_id: str | None = None
    temp_suffixes: dict[tuple[str, str], str] = field(factory=dict)

    async def load(self, name: str) -> None:
        """Load a checkpoint or UNET; a different one than the slot holds takes the switch delay."""
        if name != self.model:
            await asyncio.sleep(self.switch_delay)
            self.model = name
            self.stats.model_switches += 1
            self.stats.slot_models[self.index] = name

    def raise_if_interrupted(self) -> None:
        """Raise (and clear the flag) when an interrupt is pending, like throw_exception_if_processing_interrupted."""
        if self.interrupted:
            self.interrupted = False
            raise InterruptProcessing()
