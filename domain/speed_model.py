"""How long a job takes on a server: learned from completed attempts, per server and model, as decaying averages.

An attempt's time is its slot time, claim to completion (`started_at` to `completed_at` on the job). Each
(server, model) pair keeps an exponentially decaying average (weight `alpha` on the newest attempt), so a server
that slows down (thermal limits, a neighbour on the GPU) is followed within a few jobs. A pair never seen is
estimated from what is known: the model's fleet average scaled by how this server compares to the fleet on the
models both ran; failing that the model's fleet average, the server's own average, the fleet's, or `prior_s`.
"""

import math
from collections.abc import Iterable, Mapping
from statistics import fmean

from attrs import evolve, field, frozen

from domain.validation import within


@frozen
class Estimate:
    seconds: float
    samples: int = 1


@frozen
class Attempt:
    """One completed attempt: `seconds` from its claim to its completion on `server_id`."""

    server_id: str
    model: str
    seconds: float


@frozen
class SpeedModel:
    estimates: Mapping[tuple[str, str], Estimate] = field(factory=dict)  # (server id, model) -> estimate
    alpha: float = field(default=0.3, validator=within(0.01, 1.0))
    prior_s: float = 30.0  # the time of a job nothing is known about

    def observed(self, attempt: Attempt) -> "SpeedModel":
        if not math.isfinite(attempt.seconds) or attempt.seconds < 0:
            return self
        key = (attempt.server_id, attempt.model)
        old = self.estimates.get(key)
        new = Estimate(attempt.seconds) if old is None else Estimate(
            old.seconds + self.alpha * (attempt.seconds - old.seconds), old.samples + 1)
        return evolve(self, estimates={**self.estimates, key: new})

    def learned(self, attempts: Iterable[Attempt]) -> "SpeedModel":
        """`attempts` oldest first."""
        model = self
        for attempt in attempts:
            model = model.observed(attempt)
        return model

    def seconds(self, server_id: str, model: str) -> float:
        known = self.estimates.get((server_id, model))
        if known is not None:
            return known.seconds
        fleet = self._model_means()
        ratio = self._server_ratio(server_id, fleet)
        if model in fleet:
            return fleet[model] * (ratio if ratio is not None else 1.0)
        own = [e.seconds for (server, _), e in self.estimates.items() if server == server_id]
        if own:
            return fmean(own)
        return fmean(fleet.values()) if fleet else self.prior_s

    def _model_means(self) -> dict[str, float]:
        by_model: dict[str, list[float]] = {}
        for (_, model), estimate in self.estimates.items():
            by_model.setdefault(model, []).append(estimate.seconds)
        return {model: fmean(values) for model, values in by_model.items()}

    def _server_ratio(self, server_id: str, fleet: Mapping[str, float]) -> float | None:
        """The geometric mean of this server's time over the fleet's, on the models it ran (None: it ran none)."""
        ratios = [e.seconds / fleet[model] for (server, model), e in self.estimates.items()
                  if server == server_id and fleet[model] > 0 and e.seconds > 0]
        return math.exp(fmean(math.log(r) for r in ratios)) if ratios else None


def slots_free_in(capacity: int, running: Iterable[tuple[float, float]]) -> tuple[float, ...]:
    """Estimated seconds until each of `capacity` slots frees, given the running jobs as (estimated seconds,
    seconds since claimed), oldest claim first: the first `capacity` run now, the rest (prompts queued on the
    server beyond its capacity) start as slots free."""
    slots = [0.0] * max(capacity, 0)
    if not slots:
        return ()
    for index, (seconds, elapsed) in enumerate(running):
        if index < len(slots):
            slots[index] = max(seconds - elapsed, seconds * 0.1)  # overdue: it should end soon
        else:
            slot = min(range(len(slots)), key=slots.__getitem__)
            slots[slot] += seconds
    return tuple(sorted(slots))
