"""Snapping clips to a beat grid: a projection (twice changes nothing), never overlapping, never before the scene."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.frames import FrameRule
from domain.music import nearest
from domain.music_snap import FrameFit, Span, length_to, snap_spans

LTXV = FrameFit(FrameRule(step=8, offset=1, minimum=9, maximum=257), 24.0)
WAN = FrameFit(FrameRule(step=4, offset=1, minimum=5, maximum=121), 24.0)


@st.composite
def grids(draw: st.DrawFn) -> tuple[float, ...]:
    first = draw(st.floats(0.0, 2.0))
    period = draw(st.floats(0.25, 1.5))
    jitter = draw(st.lists(st.floats(-0.02, 0.02), min_size=1, max_size=60))
    return tuple(round(first + index * period + wobble, 3) for index, wobble in enumerate(jitter))


@st.composite
def layouts(draw: st.DrawFn) -> list[Span]:
    spans, at = [], draw(st.floats(0.0, 5.0))
    for gap, length in draw(st.lists(st.tuples(st.floats(0.0, 3.0), st.floats(0.05, 6.0)), max_size=8)):
        start = at + gap
        spans.append(Span(start, start + length))
        at = start + length
    return spans


def well_formed(spans: list[Span], not_before: float) -> None:
    for span in spans:
        assert span.start >= not_before and span.end > span.start
    for left, right in zip(spans, spans[1:]):
        assert left.end <= right.start


@settings(max_examples=300, deadline=None)
@given(layouts(), grids(), st.floats(0.0, 4.0), st.sampled_from([None, LTXV, WAN]))
def test_snapping_twice_changes_nothing_and_keeps_the_scene_well_formed(spans, grid, not_before, fit):
    spans = [Span(s.start + not_before, s.end + not_before) for s in spans]
    once = snap_spans(spans, grid, not_before=not_before, fit=fit)
    well_formed(once, not_before)
    assert snap_spans(once, grid, not_before=not_before, fit=fit) == once
    assert len(once) == len(spans)


@settings(max_examples=200, deadline=None)
@given(layouts(), grids())
def test_without_a_model_every_snapped_boundary_is_a_grid_point(spans, grid):
    snapped = snap_spans(spans, grid, not_before=0.0)
    on_grid = set(grid)
    for before, after in zip(spans, snapped):
        if after.start in on_grid:
            assert after.end in on_grid or math.isclose(after.end - after.start, before.end - before.start)


@settings(max_examples=200, deadline=None)
@given(layouts(), grids(), st.sampled_from([LTXV, WAN]))
def test_with_a_model_lengths_are_frame_counts_it_generates(spans, grid, fit):
    """Unless no legal length fits before the next clip (then the next grid point) or the grid has run out."""
    for before, span in zip(spans, snap_spans(spans, grid, not_before=0.0, fit=fit)):
        frames = (span.end - span.start) * fit.fps
        legal = abs(frames - round(frames)) < 1e-6 and fit.rule.is_legal(round(frames))
        kept = math.isclose(span.end - span.start, before.end - before.start)
        assert legal or span.end in grid or kept


def test_a_clip_goes_to_the_nearest_beat_and_a_later_one_never_shares_its_start():
    grid = (0.0, 0.5, 1.0, 1.5, 2.0)
    assert snap_spans([Span(0.2, 0.3), Span(0.3, 0.9)], grid, not_before=0.0) == [Span(0.0, 0.5), Span(0.5, 1.0)]


def test_nothing_starts_before_the_scene_and_clips_past_the_grid_keep_their_length():
    grid = (0.0, 1.0, 2.0)
    snapped = snap_spans([Span(1.2, 1.9), Span(5.0, 6.5)], grid, not_before=1.1)
    assert snapped[0].start == 2.0 and snapped[1] == Span(5.0, 6.5)


def test_fitting_to_ltx_video_rounds_a_length_down_to_8n_plus_1_frames_within_the_beat():
    snapped = snap_spans([Span(0.0, 2.1)], (0.0, 1.0, 2.0, 3.0), not_before=0.0, fit=LTXV)
    assert snapped == [Span(0.0, 41 / 24)]  # 2 s is 48 frames; the longest 8n+1 count within is 41


def test_nearest_takes_the_earlier_time_on_a_tie():
    assert nearest((1.0, 2.0), 1.5) == 1.0 and nearest((1.0, 2.0), 9.0) == 2.0


@given(st.floats(0.0, 1e4), st.floats(1e-3, 1e3))
def test_length_to_never_passes_the_end(position, length):
    end = position + length
    assert position + length_to(position, end) <= end
