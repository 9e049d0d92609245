from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.timecode import RATES, frame_rate, nearest_rate, parse_timecode, timecode

rates = st.sampled_from(list(RATES.values()))


def test_ntsc_rates_are_exact_fractions_never_rounded():
    assert RATES["23.976"].fps == Fraction(24000, 1001)
    assert RATES["29.97"].frame_duration == Fraction(1001, 30000)
    assert (RATES["23.976"].timebase, RATES["29.97"].timebase) == (24, 30)
    assert RATES["23.976"].ntsc and not RATES["24"].ntsc


@given(rates, st.integers(0, 24 * 3600 * 30 - 1))
def test_timecode_and_frames_round_trip(rate, frames):
    frames %= 24 * 3600 * rate.timebase
    assert parse_timecode(timecode(frames, rate), rate) == frames


@given(rates, st.integers(0, 10**6), st.integers(1, 10**4))
def test_nearest_frame_is_exact_for_frame_aligned_seconds(rate, frames, _):
    assert rate.nearest_frame(rate.seconds(frames)) == frames
    assert rate.whole_frames(rate.seconds(frames)) == frames


def test_one_hour_of_ntsc_timecode_is_3603_6_seconds():
    rate = RATES["23.976"]
    assert rate.seconds(parse_timecode("01:00:00:00", rate)) == Fraction(36036, 10)


@pytest.mark.parametrize("text", ["1:00:00:00", "00:60:00:00", "24:00:00:00", "00:00:00:24", "aa:bb:cc:dd", ""])
def test_bad_timecodes_name_the_field(text):
    with pytest.raises(InvalidValue) as error:
        parse_timecode(text, RATES["24"])
    assert error.value.field == "start_timecode"


def test_only_the_five_supported_rates_are_accepted():
    assert [frame_rate(label).label for label in ("23.976", "24", "25", "29.97", "30")] == list(RATES)
    with pytest.raises(InvalidValue):
        frame_rate("23.98")
    assert nearest_rate(23.976023976023978) is RATES["23.976"]
