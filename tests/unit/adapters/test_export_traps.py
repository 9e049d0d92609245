"""The traps users of other tools report, each pinned on a small board."""

import re
from datetime import UTC, datetime
from fractions import Fraction

from lxml import etree

from adapters.export.edl import ReelNames
from adapters.export.exporter import OtioTimelineExporter
from application.ports.project_board_reader import ProjectBoard, SceneWithClips
from application.ports.timeline_exporter import ExportFormat, ExportOptions
from domain.clip import Clip
from domain.generated_content import ContentKind, GeneratedContent
from domain.media import MusicTrack
from domain.project import Project
from domain.scene import Scene
from domain.timecode import RATES, parse_timecode

T0 = datetime(2026, 1, 1, tzinfo=UTC)
NAME = "Tom's & Jerry <3> \"q\" — ü 日本"
EDL_LINE = re.compile(r"^(TITLE: .*|FCM: NON-DROP FRAME|\d{3,4}  [A-Z0-9_]{1,8} +(V|AA) +C +(\d\d:\d\d:\d\d:\d\d ?){4}"
                      r"|\* (FROM CLIP NAME|SOURCE FILE|LOC): .*|)$")


def take(kind: ContentKind, name: str, **params: float) -> GeneratedContent:
    return GeneratedContent(id=name, kind=kind, url=f"/api/v1/media/files/shared/images/{name}", created_at=T0,
                            selected=True, path=f"projects/p1/generated/{name}", params=params)


def clip(clip_id: str, position: float, length: float, **fields) -> Clip:
    return Clip(id=clip_id, scene_id=fields.pop("scene_id", "s1"), project_id="p1", name=fields.pop("name", clip_id),
                timeline_position=position, length=length, created_at=T0, updated_at=T0, **fields)


def board() -> ProjectBoard:
    music = MusicTrack(key="projects/p1/music/song.mp3", url="/x", content_type="audio/mpeg", format="mp3",
                       size=1, duration_s=30.0, original_name="Song.mp3")
    project = Project(id="p1", name=NAME, description=None, music_file=music.key, created_at=T0, updated_at=T0,
                      music=music)
    first = Scene(id="s1", project_id="p1", name="Verse & 1", description=None, order=0, created_at=T0, updated_at=T0)
    second = Scene(id="s2", project_id="p1", name="Chorus", description=None, order=1, created_at=T0, updated_at=T0)
    clips = (
        clip("video", 0, 3.0, name=NAME, lyrics="line one\nline two",
             generated_videos=(take(ContentKind.VIDEO, "v.mp4", frames=49, fps=24),)),
        clip("still", 1 / 3 + 3, 4 / 3, generated_images=(take(ContentKind.IMAGE, "i.png"),)),
        clip("blink", 5.0, 0.01),
        clip("slot", 5.5, 2.0, name="Empty\n001  FAKE V C 00:00:00:00 00:00:01:00 00:00:00:00 00:00:01:00"),
    )
    return ProjectBoard(project, (SceneWithClips(first, clips),
                                  SceneWithClips(second, (clip("late", 1.0, 1.0, scene_id="s2", lyrics="la"),))))


def export(fmt: ExportFormat, rate: str = "23.976") -> str:
    frame_rate = RATES[rate]
    options = ExportOptions(fmt, frame_rate, parse_timecode("01:00:00:00", frame_rate))
    return OtioTimelineExporter(lambda key: f"file:///srv/{key}").export_now(board(), options).content.decode()


def test_ntsc_rates_are_written_exactly_in_every_format():
    fcpxml = etree.fromstring(export(ExportFormat.FCPXML).encode())
    assert fcpxml.find("resources/format").get("frameDuration") == "1001/24000s"
    assert fcpxml.find(".//sequence").get("tcStart") == "18018/5s"  # 86400 frames of 1001/24000 s
    assert etree.fromstring(export(ExportFormat.FCPXML, "29.97").encode()).find(
        "resources/format").get("frameDuration") == "1001/30000s"
    fcp7 = etree.fromstring(export(ExportFormat.RESOLVE_XML).encode())
    assert (fcp7.findtext("sequence/rate/timebase"), fcp7.findtext("sequence/rate/ntsc")) == ("24", "TRUE")
    assert '"numerator": 24000' in export(ExportFormat.JSON) and '"denominator": 1001' in export(ExportFormat.JSON)
    assert '"rate": 23.976023976023978' in export(ExportFormat.OTIO)


def seconds(value: str) -> Fraction:
    return Fraction(value.removesuffix("s"))


def test_a_clip_never_outlasts_its_media_and_neighbours_never_overlap():
    items = list(etree.fromstring(export(ExportFormat.FCPXML).encode()).find(".//spine"))
    frame = Fraction(1001, 24000)
    assert items[0].tag == "asset-clip" and seconds(items[0].get("duration")) == 48 * frame, (
        "49 frames at 24 fps hold 48 whole frames at 23.976: never one frame past the media")
    assert items[1].tag == "gap", "the rest of the 3 s slot is a hole"
    offsets = [seconds(item.get("offset")) for item in items]
    ends = [offset + seconds(item.get("duration")) for offset, item in zip(offsets, items, strict=True)]
    assert ends[:-1] == offsets[1:], "contiguous: each item starts where the previous one ends"
    still = next(item for item in items if item.get("name") == "still")
    # start and end rounded together: round(10/3 s x 23.976) = 80, round(14/3 s x 23.976) = 112
    assert seconds(still.get("offset")) - offsets[0] == 80 * frame
    assert seconds(still.get("duration")) == 32 * frame


def test_names_are_escaped_and_survive_exactly():
    for fmt in (ExportFormat.FCPXML, ExportFormat.RESOLVE_XML):
        text = export(fmt)
        assert "Tom's &amp; Jerry &lt;3&gt;" in text and "— ü 日本" in text
        assert NAME in {element.get("name") or element.text for element in etree.fromstring(text.encode()).iter()}


def test_edl_reels_are_short_and_names_cannot_start_lines_of_their_own():
    lines = export(ExportFormat.EDL).splitlines()
    assert all(EDL_LINE.match(line) for line in lines), [line for line in lines if not EDL_LINE.match(line)]
    events = [line for line in lines if re.match(r"^\d{3}  ", line)]
    assert all(1 <= len(line.split()[1]) <= 8 for line in events)
    names = [lines[lines.index(line) + 1] for line in events if " BL " not in line]
    assert all(name.startswith("* FROM CLIP NAME: ") for name in names), "every event names its clip"
    assert f"* FROM CLIP NAME: {NAME}" in lines
    assert "* FROM CLIP NAME: Empty 001 FAKE V C 00:00:00:00 00:00:01:00 00:00:00:00 00:00:01:00" in lines


def test_several_markers_on_one_clip_are_all_kept():
    fcpxml = etree.fromstring(export(ExportFormat.FCPXML).encode())
    first = fcpxml.find(".//spine")[0]
    assert [(m.get("value"), m.get("note")) for m in first.findall("marker")] == [
        ("Verse & 1", "scene"), ("line one / line two", "lyrics")]
    edl = export(ExportFormat.EDL)
    assert "* LOC: 01:00:00:00 BLUE    Verse & 1\n* LOC: 01:00:00:00 GREEN   line one / line two" in edl


def test_no_item_of_zero_length_is_written():
    fcpxml = etree.fromstring(export(ExportFormat.FCPXML).encode())
    assert all(item.get("duration") != "0s" for item in fcpxml.find(".//spine"))
    assert "blink" not in export(ExportFormat.EDL) and "blink" not in export(ExportFormat.RESOLVE_XML)
    for line in export(ExportFormat.EDL).splitlines():
        if re.match(r"^\d{3}  ", line):
            source_in, source_out = line.split()[-4:-2]
            assert source_in != source_out


def test_stills_are_held_images_and_placeholders_keep_name_and_length():
    fcpxml = etree.fromstring(export(ExportFormat.FCPXML).encode())
    spine = fcpxml.find(".//spine")
    still = next(item for item in spine if item.get("name") == "still")
    assert still.tag == "clip" and still.find("video") is not None
    asset = fcpxml.find(f"resources/asset[@id='{still.find('video').get('ref')}']")
    assert asset.find("media-rep").get("src").endswith(".png")
    slot = next(item for item in spine if item.get("name", "").startswith("Empty"))
    assert slot.tag == "asset-clip" and seconds(slot.get("duration")) == 48 * Fraction(1001, 24000)
    placeholder = fcpxml.find(f"resources/asset[@id='{slot.get('ref')}']")
    assert placeholder.get("name") == slot.get("name") and placeholder.find("media-rep").get("src").startswith("file:")
    fcp7 = etree.fromstring(export(ExportFormat.RESOLVE_XML).encode())
    generator = fcp7.find(".//generatoritem")
    assert generator.findtext("effect/effectid") == "Slug" and int(generator.findtext("out")) == 48
    assert fcp7.find(".//clipitem[name='still']/file/pathurl").text.endswith(".png")


def test_reel_names_stay_unique_and_within_8_characters_when_file_names_collide():
    reels = ReelNames()
    names = [reels.of(f"file:///srv/generated/{clip_id}-{n}.mp4") for n in range(1200)
             for clip_id in ("65f1c0ffee00", "65f1c0ffee01")]
    assert len(set(names)) == len(names) and all(1 <= len(name) <= 8 for name in names)
    assert names[0] == "65F1C0FF" and "BL" not in names and "AX" not in names
    assert reels.of("file:///srv/x/\u00e9t\u00e9 & co.png") == "ETECO"
