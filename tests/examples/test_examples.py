"""The examples run as a user runs them: a subprocess from the repository root, with a timeout."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(300)
def test_lyrics_to_board_builds_generates_and_exports_a_project(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "MONGO_URL"} | {"DATA_DIR": str(tmp_path / "data"),
                                                                       "UPLOAD_DIR": str(tmp_path / "uploads")}
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "examples/lyrics_to_board.py", "examples/night_drive.lrc", "--out",
                             str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    assert "completed=5" in result.stdout
    board = json.loads((out / "board.json").read_text())
    assert "Headlights cut the empty road" in json.dumps(board)
    assert (out / "board.fcpxml").read_text().startswith("<?xml")
    assert (out / "board.otio").stat().st_size > 0
    assert not list((tmp_path / "data").glob("secantus.lock"))  # its embedded database stopped with it
