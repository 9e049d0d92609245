"""The simulator's parts, built once per app from its config and reached by handlers through one AppKey."""

from pathlib import Path

from aiohttp import web
from attrs import define

from simulators.openai_video.config import SimulatorConfig
from simulators.openai_video.videos.failures import FailureInjector
from simulators.openai_video.videos.lifecycle import RuntimeSettings
from simulators.openai_video.videos.registry import VideoRegistry
from simulators.openai_video.videos.stats import SimulatorStats


@define
class SimulatorState:
    """Config, run-time settings, armed failures, counters and the videos of one running simulator."""

    config: SimulatorConfig
    settings: RuntimeSettings
    failures: FailureInjector
    stats: SimulatorStats
    registry: VideoRegistry


STATE = web.AppKey("openai_video_simulator_state", SimulatorState)


def build_state(config: SimulatorConfig, assets: Path) -> SimulatorState:
    """Every part of the simulator; rendered files go under `assets`."""
    settings = RuntimeSettings(config.latency, config.retry_after, config.failure_code, config.failure_message)
    failures, stats = FailureInjector(config.failures), SimulatorStats()
    registry = VideoRegistry(config, settings=settings, failures=failures, stats=stats, assets=assets)
    return SimulatorState(config, settings, failures, stats, registry)
