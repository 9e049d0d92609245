"""A protocol-faithful ComfyUI 0.3.64 simulator: same HTTP and WebSocket answers, placeholder media."""

from adapters.comfyui.simulator.app import create_simulator_app
from adapters.comfyui.simulator.config import FAILURE_MODES, SimulatorConfig

__all__ = ["FAILURE_MODES", "SimulatorConfig", "create_simulator_app"]
