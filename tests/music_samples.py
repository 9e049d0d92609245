"""Test music with a known beat grid: drums and bass synthesized in numpy, optionally swung, the first beat offset."""

import io

import numpy as np
import soundfile
from attrs import frozen

RATE = 44100
BASS_ROOTS_HZ = (55.0, 73.42, 61.74, 82.41)  # A1 D2 B1 E2: one root per bar


@frozen
class SynthSong:
    samples: np.ndarray  # mono float32 at RATE
    beats: np.ndarray  # seconds
    downbeats: np.ndarray  # seconds, the first beat of each bar
    bpm: float
    swing: float


def _decay(seconds: float, tau: float) -> np.ndarray:
    return np.exp(-np.arange(int(seconds * RATE)) / (tau * RATE))


def _kick() -> np.ndarray:
    t = np.arange(int(0.25 * RATE)) / RATE
    sweep = 2 * np.pi * np.cumsum(50 + 100 * np.exp(-t / 0.03)) / RATE
    return np.sin(sweep) * _decay(0.25, 0.08)


def _snare(rng: np.random.Generator) -> np.ndarray:
    noise = rng.standard_normal(int(0.18 * RATE))
    tone = np.sin(2 * np.pi * 190 * np.arange(noise.size) / RATE)
    return (0.6 * noise + 0.4 * tone) * _decay(0.18, 0.05)


def _hat(rng: np.random.Generator) -> np.ndarray:
    noise = rng.standard_normal(int(0.05 * RATE))
    return np.diff(noise, prepend=0.0) * _decay(0.05, 0.012)


def _bass(hz: float, seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return np.tanh(2 * np.sin(2 * np.pi * hz * t)) * _decay(seconds, seconds / 2)


def _pad(hz: float, seconds: float) -> np.ndarray:
    """A minor triad two octaves above the bass root, held for the bar: the harmony changes on the downbeat."""
    t = np.arange(int(seconds * RATE)) / RATE
    tones = sum(np.sin(2 * np.pi * 4 * hz * ratio * t) for ratio in (1.0, 1.1892, 1.4983))
    return tones * np.minimum(1.0, t / 0.01) * _decay(seconds, seconds)


def _mix(out: np.ndarray, sound: np.ndarray, at_s: float, gain: float) -> None:
    start = int(round(at_s * RATE))
    end = min(out.size, start + sound.size)
    if start < out.size:
        out[start:end] += gain * sound[: end - start]


def synth_song(bpm: float, *, seconds: float = 30.0, swing: float = 0.5, offset_s: float = 0.0,
               beats_per_bar: int = 4, seed: int = 0) -> SynthSong:
    """Kick on 1 and 3, snare on 2 and 4, hats on the eighths (the off-beat one at `swing` of the beat, 0.5 straight,
    2/3 a triplet swing), a bass note on every beat; the first beat at `offset_s` after a little noise."""
    rng = np.random.default_rng(seed)
    period = 60.0 / bpm
    beats = np.arange(offset_s, seconds - period, period)
    out = 0.003 * rng.standard_normal(int(seconds * RATE))
    kick, snare = _kick(), _snare(rng)
    for index, beat in enumerate(beats):
        position = index % beats_per_bar
        _mix(out, kick if position % 2 == 0 else snare, beat, 0.9 if position == 0 else 0.6)
        _mix(out, _hat(rng), beat, 0.25)
        _mix(out, _hat(rng), beat + swing * period, 0.2)
        root = BASS_ROOTS_HZ[(index // beats_per_bar) % len(BASS_ROOTS_HZ)]
        if position == 0:
            _mix(out, _pad(root, period * beats_per_bar), beat, 0.08)
        _mix(out, _bass(root * (2 if position == 2 else 1), period * 0.9), beat, 0.35 if position == 0 else 0.25)
    samples = (0.9 * out / np.max(np.abs(out))).astype("float32")
    return SynthSong(samples=samples, beats=beats, downbeats=beats[::beats_per_bar], bpm=bpm, swing=swing)


def encoded(song: SynthSong, file_format: str = "WAV") -> bytes:
    """The song as a WAV (or FLAC, OGG) file's bytes."""
    out = io.BytesIO()
    soundfile.write(out, song.samples, RATE, format=file_format)
    return out.getvalue()


def silence(seconds: float = 10.0) -> np.ndarray:
    return np.zeros(int(seconds * RATE), dtype="float32")


def white_noise(seconds: float = 10.0, seed: int = 1) -> np.ndarray:
    return (0.3 * np.random.default_rng(seed).standard_normal(int(seconds * RATE))).astype("float32")


# The measured set (docs/beat-tracking.md): tempi 80-180 BPM, straight and swung, first beats off the origin.
TEST_SET = [
    (80.0, 0.5, 0.37), (92.0, 0.62, 0.81), (100.0, 0.5, 1.13), (110.0, 0.66, 0.42), (120.0, 0.5, 0.25),
    (120.0, 0.66, 0.61), (128.0, 0.66, 0.93), (135.0, 0.6, 0.18), (140.0, 0.66, 0.55), (150.0, 0.5, 0.71),
    (165.0, 0.6, 0.33), (180.0, 0.5, 0.48),
]
