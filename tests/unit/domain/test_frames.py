from hypothesis import given
from hypothesis import strategies as st

from domain.frames import FrameRule, SizeRule

rules = st.builds(
    lambda step, offset, low, span: FrameRule(step, offset, low, low + span + step),
    st.integers(1, 12), st.integers(0, 3), st.integers(1, 40), st.integers(0, 300),
)


@given(rules, st.floats(0, 2000, allow_nan=False))
def test_frame_count_is_always_legal_and_nearest(rule, wanted):
    frames = rule.legal(wanted)
    assert rule.is_legal(frames)
    legal = [n for n in range(rule.minimum, rule.maximum + 1) if rule.is_legal(n)]
    assert abs(frames - wanted) <= min(abs(n - wanted) for n in legal) + 1e-9


def test_clip_lengths_map_to_model_frame_rules():
    ltxv, wan = FrameRule(8, 1, 9, 257), FrameRule(4, 1, 5, 121)
    assert ltxv.for_duration(4.0, 24) == 97
    assert wan.for_duration(2.0, 24) == 49
    assert wan.for_duration(60.0, 24) == 121
    assert ltxv.for_duration(0.01, 24) == 9


@given(st.sampled_from([8, 16, 32, 64]), st.integers(-100, 5000))
def test_sizes_snap_to_the_multiple_within_range(multiple, wanted):
    rule = SizeRule(multiple, 256, 1280)
    assert rule.is_legal(rule.legal(wanted))
