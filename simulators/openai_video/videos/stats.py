"""What the simulator saw, for tests: every /v1 request and its answer, videos created and deleted, peak load."""

import time
from collections import Counter
from typing import Any

from attrs import asdict, define, field, frozen


@frozen
class RequestRecord:
    """One /v1 request: its route (`GET /v1/videos/{video_id}`), path, answer status, `time.monotonic()`."""

    method: str
    route: str
    path: str
    status: int
    at: float


@frozen
class DeleteRecord:
    """One accepted DELETE: which video, in which status it was, when."""

    video_id: str
    status: str
    at: float


@define
class SimulatorStats:
    """Counters read through GET /sim/stats; the API key is never recorded."""

    requests: list[RequestRecord] = field(factory=list)
    created: list[str] = field(factory=list)
    deletes: list[DeleteRecord] = field(factory=list)
    in_flight: int = 0
    peak_in_flight: int = 0

    def request(self, method: str, route: str, path: str, status: int) -> None:
        self.requests.append(RequestRecord(method, route, path, status, time.monotonic()))

    def video_created(self, video_id: str) -> None:
        self.created.append(video_id)
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

    def video_settled(self) -> None:
        """A video finished, failed, or was deleted before it did."""
        self.in_flight -= 1

    def video_deleted(self, video_id: str, status: str) -> None:
        self.deletes.append(DeleteRecord(video_id, status, time.monotonic()))

    def _by_route(self) -> dict[str, dict[str, int]]:
        """`{"POST /v1/videos": {"200": 2, "429": 1}}`."""
        counts: dict[str, Counter[str]] = {}
        for record in self.requests:
            counts.setdefault(record.route, Counter())[str(record.status)] += 1
        return {route: dict(statuses) for route, statuses in counts.items()}

    def as_json(self) -> dict[str, Any]:
        """The body of GET /sim/stats."""
        return {
            "requests": len(self.requests),
            "by_route": self._by_route(),
            "log": [asdict(record) for record in self.requests],
            "created": list(self.created), "deletes": [asdict(record) for record in self.deletes],
            "in_flight": self.in_flight, "peak_in_flight": self.peak_in_flight, "now": time.monotonic(),
        }
