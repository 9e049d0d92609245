"""Token buckets in this process's memory, one per (client, kind of request).

Per instance on purpose: a shared counter in MongoDB would add a database round trip (and a write) to every
read, doubling the latency of the cheapest routes; behind a proxy spreading clients over N instances a
client gets at most N times the limit, so set it per instance (limit / N) or balance clients stickily.
"""

import math
import time
from collections.abc import Callable

from attrs import define, field

MAX_BUCKETS = 100_000  # past this, buckets that have refilled are forgotten


@define
class _Bucket:
    tokens: float
    stamp: float


@define
class TokenBuckets:
    per_minute: int
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, _Bucket] = field(factory=dict)

    @property
    def _rate(self) -> float:
        return self.per_minute / 60.0

    def take(self, key: str) -> int:
        """0 when the request may go, else the whole seconds to wait before the next one would."""
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(float(self.per_minute), now)
        bucket.tokens = min(float(self.per_minute), bucket.tokens + (now - bucket.stamp) * self._rate)
        bucket.stamp = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0
        return max(1, math.ceil((1.0 - bucket.tokens) / self._rate))

    def _forget_full(self, now: float) -> None:
        if len(self._buckets) < MAX_BUCKETS:
            return
        full_after = self.per_minute / self._rate
        self._buckets = {key: b for key, b in self._buckets.items() if now - b.stamp < full_after}
