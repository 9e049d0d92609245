"""Decoding any audio file FFmpeg reads (through PyAV) to mono float32 samples at one rate."""

from pathlib import Path

import av
import numpy as np


class UndecodableAudio(Exception):
    """The file holds no audio stream FFmpeg can decode."""


def decode_mono(path: Path, *, rate: int, max_seconds: float) -> np.ndarray:
    """The file's first audio stream, mixed to mono and resampled to `rate`, at most `max_seconds` long."""
    limit = int(rate * max_seconds)
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise UndecodableAudio("The file holds no audio stream")
            chunks = _decoded(container, av.AudioResampler(format="flt", layout="mono", rate=rate), limit)
    except av.FFmpegError as exc:
        raise UndecodableAudio(f"The audio cannot be decoded ({type(exc).__name__})") from None
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    return samples[:limit]


def _decoded(container: av.container.InputContainer, resampler: av.AudioResampler, limit: int) -> list[np.ndarray]:
    chunks: list[np.ndarray] = []
    total = 0
    for frame in container.decode(container.streams.audio[0]):
        for out in resampler.resample(frame):
            chunks.append(out.to_ndarray().reshape(-1))
            total += chunks[-1].size
        if total >= limit:
            return chunks
    chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
    return chunks
