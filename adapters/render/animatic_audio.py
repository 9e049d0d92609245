"""The animatic's sound: the song decoded and resampled to 48 kHz stereo, cut or padded with silence to the cut."""

from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np

RATE, LAYOUT, FRAME = 48000, "stereo", 1024


def _song(path: Path | None) -> Iterator[np.ndarray]:
    """Planar float32 blocks (2, n) of the song; nothing if it is absent or cannot be decoded."""
    if path is None:
        return
    try:
        with av.open(str(path)) as source:
            resampler = av.AudioResampler(format="fltp", layout=LAYOUT, rate=RATE)
            for frame in source.decode(audio=0):
                for out in resampler.resample(frame):
                    yield out.to_ndarray()
            for out in resampler.resample(None):
                yield out.to_ndarray()
    except (av.error.FFmpegError, IndexError, ValueError):
        return  # an unreadable song: the rest is silence


def audio_frames(path: Path | None, total: int) -> Iterator[av.AudioFrame]:
    """Exactly `total` samples in frames of FRAME samples (the last may be shorter), pts in samples."""
    buffered, sent = np.zeros((2, 0), dtype=np.float32), 0
    song = _song(path)
    while sent < total:
        while buffered.shape[1] < FRAME:
            block = next(song, None)
            if block is None:
                break
            buffered = np.concatenate((buffered, block.astype(np.float32, copy=False)), axis=1)
        size = min(FRAME, total - sent)
        chunk = buffered[:, :size]
        if chunk.shape[1] < size:
            chunk = np.concatenate((chunk, np.zeros((2, size - chunk.shape[1]), dtype=np.float32)), axis=1)
        buffered = buffered[:, size:]
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk), format="fltp", layout=LAYOUT)
        frame.sample_rate, frame.pts = RATE, sent
        sent += size
        yield frame
