"""A use case that lost a race runs again, a bounded number of times; other errors are not retried."""

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st

from application import retries
from application.errors import ConcurrentChange, Conflict
from application.retries import ATTEMPTS, LONGEST_PAUSE_S, pause_before, retried_on_lost_race


class Flaky:
    def __init__(self, losses: int, error: type[Exception] = ConcurrentChange) -> None:
        self.losses, self.error, self.calls = losses, error, 0

    @retried_on_lost_race
    async def __call__(self, value: str) -> str:
        self.calls += 1
        if self.calls <= self.losses:
            raise self.error("someone else came first")
        return value


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retries, "pause_before", lambda attempt, longest=0.0: 0.0)


def test_a_lost_race_runs_the_work_again_until_it_wins() -> None:
    work = Flaky(losses=ATTEMPTS - 1)
    assert asyncio.run(work("done")) == "done" and work.calls == ATTEMPTS


def test_after_the_last_attempt_the_conflict_reaches_the_caller() -> None:
    work = Flaky(losses=ATTEMPTS)
    with pytest.raises(ConcurrentChange):
        asyncio.run(work("never"))
    assert work.calls == ATTEMPTS


def test_a_broken_rule_or_a_stale_version_is_not_retried() -> None:
    work = Flaky(losses=1, error=Conflict)
    with pytest.raises(Conflict):
        asyncio.run(work("never"))
    assert work.calls == 1


@given(attempt=st.integers(0, 100))
def test_pauses_are_jittered_below_a_growing_ceiling(attempt: int) -> None:
    assert 0.0 <= pause_before(attempt) <= min(LONGEST_PAUSE_S, retries.FIRST_PAUSE_S * 2**attempt)


def test_background_work_outlasts_a_race_that_would_defeat_a_request() -> None:
    flaky = Flaky(losses=ATTEMPTS)
    patient = retries.retried_patiently(Flaky.__call__.__wrapped__)  # the same work, undecorated
    assert asyncio.run(patient(flaky, "filed")) == "filed" and flaky.calls == ATTEMPTS + 1


@given(attempt=st.integers(0, 100))
def test_background_pauses_stay_below_their_own_ceiling(attempt: int) -> None:
    ceiling = min(retries.BACKGROUND_LONGEST_PAUSE_S, retries.FIRST_PAUSE_S * 2**attempt)
    assert 0.0 <= pause_before(attempt, retries.BACKGROUND_LONGEST_PAUSE_S) <= ceiling
