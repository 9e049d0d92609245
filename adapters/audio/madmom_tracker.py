"""Beats and downbeats with madmom's RNN + DBN downbeat tracker on mono float samples (44.1 kHz)."""

import numpy as np

from adapters.audio.madmom_import import import_madmom
from domain.music import BeatGrid

SAMPLE_RATE = 44100  # madmom's networks were trained at 44.1 kHz; other rates would need its ffmpeg resampler
FPS = 100
MIN_BEATS = 4
MAX_INTERVAL_SPREAD = 0.25  # beat intervals' coefficient of variation past which there is no steady beat
SILENCE_RMS = 1e-4
MIN_BEAT_ACTIVATION = 0.3  # median network output at the beats found: ~0.08 on white noise, 0.6-0.9 on music


def tracker_name() -> str:
    return f"madmom {import_madmom().__version__} (RNN + DBN downbeats)"


def track_beats(samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> BeatGrid:
    """The song's beat grid; an empty one for silence or when the beats found are not steady (noise)."""
    duration = samples.size / sample_rate
    if samples.size == 0 or float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) < SILENCE_RMS:
        return BeatGrid(duration_s=duration)
    activations, positions = _downbeat_tracker(samples, sample_rate)
    if len(positions) < MIN_BEATS or _confidence(activations, positions[:, 0]) < MIN_BEAT_ACTIVATION:
        return BeatGrid(duration_s=duration)
    beats = positions[:, 0]
    intervals = np.diff(beats)
    if float(np.std(intervals) / np.mean(intervals)) > MAX_INTERVAL_SPREAD:
        return BeatGrid(duration_s=duration)
    numbers = positions[:, 1].astype(int)
    return BeatGrid(
        duration_s=duration, tempo_bpm=_tempo(beats),
        beats=tuple(round(float(b), 3) for b in beats),
        downbeats=tuple(round(float(b), 3) for b in beats[numbers == 1]), beats_per_bar=int(numbers.max()),
    )


def _tempo(beats: np.ndarray) -> float:
    """60 over the least-squares beat period: finer than one interval, which the 10 ms frames quantize; beats are
    numbered by the median interval, so a skipped beat does not bend the fit."""
    numbers = np.round((beats - beats[0]) / np.median(np.diff(beats)))
    slope = np.polyfit(numbers, beats, 1)[0]
    return round(60.0 / float(slope), 2)


def _confidence(activations: np.ndarray, beats: np.ndarray) -> float:
    """How sure the network is of the beats the DBN chose (the DBN finds a steady pulse even in noise)."""
    frames = np.round(beats * FPS).astype(int)
    strength = activations.sum(axis=1)
    return float(np.median([strength[max(0, frame - 2): frame + 3].max(initial=0.0) for frame in frames]))


def _downbeat_tracker(samples: np.ndarray, sample_rate: int) -> tuple[np.ndarray, np.ndarray]:
    madmom = import_madmom()
    from madmom.features.downbeats import DBNDownBeatTrackingProcessor, RNNDownBeatProcessor

    signal = madmom.audio.signal.Signal(samples.astype(np.float32), sample_rate=sample_rate, num_channels=1)
    activations = RNNDownBeatProcessor()(signal)
    return activations, DBNDownBeatTrackingProcessor(beats_per_bar=[3, 4], fps=FPS)(activations)
