"""The speed model: decaying averages per server and model, estimates for pairs never seen, slot times."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.speed_model import Attempt, Estimate, SpeedModel, slots_free_in


def test_the_first_attempt_sets_the_estimate_and_later_ones_decay_into_it():
    model = SpeedModel(alpha=0.5).learned([Attempt("a", "sdxl", 10.0), Attempt("a", "sdxl", 20.0)])
    assert model.estimates[("a", "sdxl")] == Estimate(15.0, 2)
    assert model.observed(Attempt("a", "sdxl", 20.0)).seconds("a", "sdxl") == 17.5


def test_nonsense_durations_teach_nothing():
    model = SpeedModel()
    assert model.observed(Attempt("a", "m", -1.0)) == model
    assert model.observed(Attempt("a", "m", math.nan)) == model


def test_an_unseen_pair_is_the_models_fleet_time_scaled_by_how_the_server_compares():
    model = SpeedModel().learned([Attempt("fast", "sdxl", 5.0), Attempt("slow", "sdxl", 20.0),
                                  Attempt("slow", "flux", 40.0)])
    # fast runs sdxl at 0.4x the fleet's mean (12.5 s); flux's fleet mean is 40 s
    assert model.seconds("fast", "flux") == pytest.approx(16.0)
    assert model.seconds("new-server", "sdxl") == pytest.approx(12.5), "an unseen server is the fleet average"
    assert model.seconds("slow", "never-run") == pytest.approx(30.0), "an unseen model: the server's own average"
    assert SpeedModel(prior_s=7.0).seconds("a", "b") == 7.0, "nothing known: the prior"


def test_with_nothing_known_every_server_is_alike():
    model = SpeedModel()
    assert len({model.seconds(server, "sdxl") for server in ("a", "b", "c")}) == 1


@given(st.lists(st.floats(0.0, 1000.0), min_size=1, max_size=30), st.floats(0.01, 1.0))
def test_an_estimate_stays_within_what_was_observed(samples, alpha):
    model = SpeedModel(alpha=alpha).learned(Attempt("a", "m", s) for s in samples)
    assert min(samples) - 1e-6 <= model.seconds("a", "m") <= max(samples) + 1e-6


def test_slots_free_in_from_running_jobs():
    assert slots_free_in(2, []) == (0.0, 0.0)
    assert slots_free_in(2, [(10.0, 4.0)]) == (0.0, 6.0)
    assert slots_free_in(1, [(10.0, 4.0), (10.0, 0.0)]) == (16.0,), "a prompt queued on the server runs after"
    assert slots_free_in(1, [(10.0, 30.0)]) == (1.0,), "an overdue job is reckoned to end soon, not now"
