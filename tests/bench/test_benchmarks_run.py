"""Every benchmark runs in a short mode in CI, so none can rot unnoticed (the figures come from full runs)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def summary(*args: str, timeout: float) -> dict:
    """Run `python -m bench.<name> ...` and return the JSON summary it prints last."""
    done = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_api_benchmark_runs_and_reports_its_ratios() -> None:
    result = summary("bench.api", "--seconds", "0.5", "--rounds", "1", "--warmup", "0.2", "--scenes", "2",
                     "--clips", "2", timeout=240)
    assert result["ours_rps"] > 0 and result["ratio_to_limit"] > 0 and result["ratio_to_peer"] > 0
    assert result["ours_304_rps"] > 0 and result["ratio_304_to_full"] > 0


def test_the_export_benchmark_runs_every_format() -> None:
    result = summary("bench.export", "--scenes", "2", "--clips", "5", "--rounds", "1", timeout=120)
    assert result["clips"] == 10 and all(result[f"{name}_s"] >= 0 for name in ("fcpxml", "edl", "otio", "json"))


@pytest.mark.timeout(400)
def test_the_queue_benchmark_runs_and_loses_or_repeats_nothing() -> None:
    result = summary("bench.queue", "--jobs", "16", "--work", "0.2", "--switch-delay", "0.2", "--runs", "both",
                     timeout=380)
    assert (result["jobs"], result["lost"], result["duplicated"]) == (16, 0, 0)
    assert result["makespan_ratio"] >= 1.0 and result["makespan_ratio_no_affinity"] >= 1.0
