from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.clip import Clip, ensure_no_overlap
from domain.errors import InvalidValue, RuleViolation
from domain.generated_content import ContentKind, GeneratedContent

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def clip(clip_id="c", position=0.0, length=1.0, lane=0, **fields) -> Clip:
    return Clip(id=clip_id, scene_id="s", project_id="p", name="shot", timeline_position=position,
                length=length, alternate_number=lane, created_at=NOW, updated_at=NOW, **fields)


def take(take_id: str, kind=ContentKind.IMAGE) -> GeneratedContent:
    return GeneratedContent(id=take_id, kind=kind, url=f"/media/{take_id}", created_at=NOW)


@pytest.mark.parametrize(("position", "length", "field"), [
    (-0.1, 1.0, "timeline_position"), (0.0, 0.0, "length"), (0.0, -1.0, "length"),
    (float("nan"), 1.0, "timeline_position"), (0.0, float("inf"), "length"), (1e12, 1.0, "timeline_position"),
])
def test_clip_timing_must_be_valid(position, length, field):
    with pytest.raises(InvalidValue) as error:
        clip(position=position, length=length)
    assert error.value.field == field


intervals = st.tuples(st.floats(0, 100), st.floats(0.01, 50))


@given(intervals, intervals)
def test_overlap_is_symmetric_and_matches_interval_arithmetic(a, b):
    first, second = clip("a", *a), clip("b", *b)
    expected = a[0] < b[0] + b[1] and b[0] < a[0] + a[1]
    assert first.overlaps(second) == second.overlaps(first) == expected


def test_main_clips_may_not_overlap_but_alternates_may():
    existing = [clip("a", 0.0, 4.0), clip("alt", 5.0, 4.0, lane=1, parent_clip_id="x")]
    with pytest.raises(RuleViolation):
        ensure_no_overlap(clip("b", 2.0, 4.0), existing)
    ensure_no_overlap(clip("b", 2.0, 4.0, lane=1, parent_clip_id="a"), existing)
    ensure_no_overlap(clip("b", 4.0, 1.0), existing)
    ensure_no_overlap(clip("b", 4.0, 3.0), existing)


def test_first_take_of_a_kind_is_selected_and_later_ones_are_not():
    shot = clip().with_content(take("i1"), now=NOW).with_content(take("i2"), now=NOW)
    shot = shot.with_content(take("v1", ContentKind.VIDEO), now=NOW)
    assert [t.selected for t in shot.generated_images] == [True, False]
    assert shot.selected(ContentKind.VIDEO).id == "v1"


def test_selecting_a_take_unselects_the_others_of_its_kind_only():
    shot = clip().with_content(take("i1"), now=NOW).with_content(take("i2"), now=NOW)
    shot = shot.with_content(take("v1", ContentKind.VIDEO), now=NOW).with_selection("i2", now=NOW)
    assert [t.selected for t in shot.generated_images] == [False, True]
    assert shot.selected(ContentKind.VIDEO).id == "v1"


def test_selecting_an_unknown_take_fails():
    with pytest.raises(LookupError):
        clip().with_selection("missing", now=NOW)


def test_is_alternate_follows_the_parent_link():
    assert not clip().is_alternate
    assert clip(parent_clip_id="x", lane=1).is_alternate


@given(takes=st.integers(1, 6), selected=st.integers(0, 5), doomed=st.lists(st.integers(0, 5), unique=True))
def test_a_gallery_with_takes_left_always_has_exactly_one_selected(takes, selected, doomed):
    shot = clip()
    for index in range(takes):
        shot = shot.with_content(take(f"i{index}"), now=NOW)
    shot = shot.with_content(take("v0", ContentKind.VIDEO), now=NOW).with_selection(f"i{selected % takes}", now=NOW)
    for index in doomed:
        if index < takes:
            shot, removed = shot.without_content(f"i{index}", now=NOW)
            assert removed.id == f"i{index}"
    left = [t.id for t in shot.generated_images]
    assert left == [f"i{index}" for index in range(takes) if index not in doomed]
    assert sum(t.selected for t in shot.generated_images) == (1 if left else 0)
    assert shot.selected(ContentKind.VIDEO).id == "v0", "the other kind's selection is untouched"


def test_removing_the_selected_take_selects_the_newest_remaining_one():
    shot = clip().with_content(take("i1"), now=NOW).with_content(take("i2"), now=NOW).with_content(take("i3"), now=NOW)
    shot, _ = shot.with_selection("i2", now=NOW).without_content("i2", now=NOW)
    assert [(t.id, t.selected) for t in shot.generated_images] == [("i1", False), ("i3", True)]
    with pytest.raises(LookupError):
        shot.without_content("i2", now=NOW)
