"""A protocol-faithful simulator of the `/v1/videos` API (OpenAI's Videos API, as vLLM-Omni and SGLang serve it)."""

from simulators.openai_video.app import create_simulator_app
from simulators.openai_video.config import DEFAULT_MODELS, FAILURE_MODES, ModelLimits, SimulatorConfig

__all__ = ["DEFAULT_MODELS", "FAILURE_MODES", "ModelLimits", "SimulatorConfig", "create_simulator_app"]
