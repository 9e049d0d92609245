"""LRC and SRT parsing: times, offsets, unicode, CRLF, sections; a malformed line is named; written files read back."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.lyrics import LyricsSyntaxError, parse_lrc, parse_srt, read_lyrics
from domain.lyrics_layout import plan

WORDS = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30)
WORDS = WORDS.map(str.strip).filter(lambda text: text and not text.startswith(("[", "#", "<")) and "<" not in text)


def lrc_stamp(seconds: float) -> str:
    minutes, rest = divmod(round(seconds * 100), 6000)
    return f"[{minutes:02d}:{rest // 100:02d}.{rest % 100:02d}]"


def srt_stamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    return f"{millis // 3600000:02d}:{millis // 60000 % 60:02d}:{millis // 1000 % 60:02d},{millis % 1000:03d}"


def test_lrc_reads_stamps_offsets_metadata_word_stamps_and_sections_with_crlf_and_a_bom():
    text = ("\ufeff[ar:Artiste]\r\n[offset:+500]\r\n[00:01.50]Ça va — καλά\r\n[01:02.345]Ещё <01:03.00>раз\r\n"
            "\r\n[Chorus]\r\n[00:30.00][00:50.00]歌词\r\n")
    first, chorus = parse_lrc(text)
    assert [(line.start, line.text) for line in first.lines] == [(1.0, "Ça va — καλά"), (61.845, "Ещё раз")]
    assert chorus.name == "Chorus" and [line.start for line in chorus.lines] == [29.5, 49.5]


def test_a_negative_offset_shows_lyrics_later_and_times_never_go_below_zero():
    (section,) = parse_lrc("[offset:-1000]\n[00:00.20]late\n")
    assert section.lines[0].start == 1.2
    (section,) = parse_lrc("[offset:2000]\n[00:00.20]early\n")
    assert section.lines[0].start == 0.0


@pytest.mark.parametrize(("text", "line", "says"), [
    ("[00:01.00]ok\nwords with no stamp\n", 2, "time stamp"),
    ("[00:01.00]ok\n\n[00:61.00]bad seconds\n", 3, "below 60"),
    ("[offset:soon]\n[00:01.00]ok\n", 1, "milliseconds"),
    ("[ti:only metadata]\n", 1, "no timed lyrics"),
])
def test_a_malformed_lrc_names_its_line(text, line, says):
    with pytest.raises(LyricsSyntaxError) as caught:
        parse_lrc(text)
    assert caught.value.line == line and says in str(caught.value) and caught.value.field == "file"


def test_srt_reads_cues_with_markup_removed_multiline_text_and_section_cues():
    text = ("1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Hallo</i> <font color=red>Welt</font>\r\nzweite Zeile\r\n\r\n"
            "2\r\n00:00:03,000 --> 00:00:04,000\r\n[Bridge]\r\n\r\n3\r\n00:00:04.000 --> 00:00:05,250 X1:0\r\nñandú\r\n")
    intro, bridge = parse_srt(text)
    assert [(line.start, line.end, line.text) for line in intro.lines] == [(1.0, 2.5, "Hallo Welt\nzweite Zeile")]
    assert bridge.name == "Bridge" and [(line.start, line.end) for line in bridge.lines] == [(4.0, 5.25)]


@pytest.mark.parametrize(("text", "line"), [
    ("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03,000 => 00:00:04,000\nbad\n", 6),
    ("1\n00:00:05,000 --> 00:00:04,000\nbackwards\n", 2),
    ("1\n00:00:01,000 --> 00:61:00,000\nbad minutes\n", 2),
])
def test_a_malformed_srt_names_its_line(text, line):
    with pytest.raises(LyricsSyntaxError) as caught:
        parse_srt(text)
    assert caught.value.line == line


def test_the_format_comes_from_the_name_else_the_content_and_text_must_be_utf8_or_utf16():
    srt = "1\n00:00:01,000 --> 00:00:02,000\nhi\n"
    assert read_lyrics(srt.encode(), "lyrics.txt")[0].lines[0].end == 2.0
    assert read_lyrics("[00:01.00]hé\n".encode("utf-16"), "song.LRC")[0].lines[0].text == "hé"
    with pytest.raises(LyricsSyntaxError) as caught:
        read_lyrics(b"[00:01.00]ok\n[00:02.00]caf\xe9\n", "a.lrc")
    assert caught.value.line == 2


def test_each_line_lasts_until_the_next_and_the_last_until_the_song_ends():
    sections = parse_lrc("[00:01.00]one\n[00:03.00]two\n\n[00:04.00]three\n[00:06.00]\n[00:08.00]four\n")
    scenes = plan(sections, song_end=10.0)
    assert [[(c.start, c.end, c.text) for c in scene.clips] for scene in scenes] == [
        [(1.0, 3.0, "one"), (3.0, 4.0, "two")], [(4.0, 6.0, "three"), (8.0, 10.0, "four")]]
    assert plan(parse_lrc("[00:01.00]alone\n"), song_end=None)[0].clips[0].end == 5.0


def test_two_lines_at_the_same_time_are_refused():
    with pytest.raises(LyricsSyntaxError) as caught:
        plan(parse_lrc("[00:01.00]one\n[00:01.00]same\n"), song_end=None)
    assert caught.value.line == 2


@given(st.lists(st.tuples(st.integers(0, 60_000), WORDS), min_size=1, max_size=30, unique_by=lambda t: t[0]),
       st.sampled_from(["\n", "\r\n"]))
def test_any_written_lrc_reads_back(lines, newline):
    text = newline.join(f"{lrc_stamp(centis / 100)}{words}" for centis, words in lines)
    (section,) = parse_lrc(text)
    assert [(line.start, line.text) for line in section.lines] == sorted((c / 100, w) for c, w in lines)


@given(st.lists(st.tuples(st.integers(0, 3_600_000), st.integers(1, 10_000), WORDS), min_size=1, max_size=20),
       st.sampled_from(["\n", "\r\n"]))
def test_any_written_srt_reads_back(cues, newline):
    blocks = [f"{index}{newline}{srt_stamp(start / 1000)} --> {srt_stamp((start + length) / 1000)}{newline}{words}"
              for index, (start, length, words) in enumerate(cues, start=1)]
    sections = parse_srt((newline * 2).join(blocks))
    read = [(line.start, line.end, line.text) for section in sections for line in section.lines]
    assert sorted(read) == sorted(((s / 1000, (s + n) / 1000, w) for s, n, w in cues))
