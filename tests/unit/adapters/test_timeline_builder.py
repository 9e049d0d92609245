"""The one OTIO timeline every export starts from, over random boards and every frame rate."""

from fractions import Fraction

from hypothesis import given, settings

from adapters.export.timeline_builder import TimelineBuilder, plain
from adapters.export.timeline_view import view_of
from domain.generated_content import ContentKind
from tests.unit.adapters.board_strategies import boards, media_url, rates

RELAXED = settings(max_examples=150, deadline=None)


def expected_slots(board, rate):
    """(clip, record_in, record_out) of every main clip, the rule written out independently."""
    offset, slots = Fraction(0), []
    for entry in board.scenes:
        mains = [c for c in entry.clips if c.parent_clip_id is None]
        if entry.scene.parent_scene_id is not None or not mains:
            continue
        for clip in mains:
            start = offset + Fraction(clip.timeline_position)
            end = offset + Fraction(clip.end)
            slots.append((clip, round_half_up(start * rate.fps), round_half_up(end * rate.fps)))
        offset += max(Fraction(c.end) for c in mains)
    return slots


def round_half_up(value: Fraction) -> int:
    return int((value + Fraction(1, 2)) // 1)


def build(board, rate, start=86400):
    return view_of(TimelineBuilder(rate, media_url).build(board, start_frame=start))


@RELAXED
@given(boards(), rates)
def test_main_clips_land_where_the_board_puts_them_and_never_last_zero_frames(board, rate):
    view = build(board, rate)
    slots = [slot for slot in expected_slots(board, rate) if slot[2] > slot[1]]
    clips = view.clips
    assert [event.clip_id for event in clips] == [clip.id for clip, _, _ in slots]
    for event, (clip, record_in, record_out) in zip(clips, slots, strict=True):
        assert event.record_in == record_in and 1 <= event.duration <= record_out - record_in
        assert event.name == plain(clip.name)
        video = clip.selected(ContentKind.VIDEO)
        if video is None or "frames" not in video.params:
            assert event.record_out == record_out, "start and end are rounded together"


@RELAXED
@given(boards(), rates)
def test_the_picture_track_is_contiguous_with_gaps_for_the_holes(board, rate):
    view = build(board, rate)
    position = 0
    for event in view.events:
        assert event.record_in == position and event.duration > 0
        position = event.record_out
    assert all(a.kind != "gap" or b.kind != "gap" for a, b in zip(view.events, view.events[1:]))
    assert view.events == () or view.events[0].kind != "gap" or view.events[0].record_in == 0


@RELAXED
@given(boards(), rates)
def test_each_clip_shows_its_selected_video_else_its_image_else_a_placeholder(board, rate):
    clips = {clip.id: clip for entry in board.scenes for clip in entry.clips}
    for event in build(board, rate).clips:
        clip = clips[event.clip_id]
        video, image = clip.selected(ContentKind.VIDEO), clip.selected(ContentKind.IMAGE)
        expected = "video" if video else "still" if image else "placeholder"
        assert event.kind == expected
        chosen = video or image
        assert event.url == (media_url(chosen.path) if chosen else None)
        assert event.source_out <= event.available, "no clip runs past its media"


@RELAXED
@given(boards(), rates)
def test_scenes_and_lyrics_become_markers_on_the_clip_they_start(board, rate):
    view = build(board, rate)
    by_frame = {}
    for event in view.events:
        for marker in event.markers:
            assert event.record_in <= marker.frame < event.record_out
            by_frame.setdefault(marker.frame, []).append(marker)
    for event in view.clips:
        lyrics = [m for m in event.markers if m.kind == "lyrics"]
        clip = next(c for e in board.scenes for c in e.clips if c.id == event.clip_id)
        assert len(lyrics) == (1 if clip.lyrics and clip.lyrics.strip() else 0)
    scene_markers = [m for m in view.markers if m.kind == "scene"]
    assert len(scene_markers) == len({event.scene_id for event in view.clips})
    assert sum(len(event.markers) for event in view.events) == len(view.markers)


@RELAXED
@given(boards(), rates)
def test_the_music_sits_on_its_own_track_from_the_first_frame(board, rate):
    view = build(board, rate, start=0)
    music = board.project.music
    if music is None or rate.whole_frames(music.duration_s) == 0:
        assert view.music is None
    else:
        assert view.music.duration == rate.whole_frames(music.duration_s)
        assert view.music.url == media_url(music.key)
