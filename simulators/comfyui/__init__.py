"""A protocol-faithful ComfyUI simulator, today's server by default or 0.3.64: same answers, placeholder media."""

from simulators.comfyui.app import create_simulator_app
from simulators.comfyui.config import CURRENT_VERSION, FAILURE_MODES, LEGACY_VERSION, SimulatorConfig

__all__ = ["CURRENT_VERSION", "FAILURE_MODES", "LEGACY_VERSION", "SimulatorConfig", "create_simulator_app"]
