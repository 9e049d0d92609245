"""Random boards as domain objects: gaps, tiny and long clips, alternates, selected takes, unicode names, music."""

from datetime import UTC, datetime
from fractions import Fraction

from hypothesis import strategies as st

from application.ports.project_board_reader import ProjectBoard, SceneWithClips
from domain.clip import Clip
from domain.generated_content import ContentKind, GeneratedContent
from domain.media import MusicTrack
from domain.project import Project
from domain.scene import Scene
from domain.timecode import RATES

T0 = datetime(2026, 1, 1, tzinfo=UTC)
rates = st.sampled_from(list(RATES.values()))
names = st.one_of(
    # no lone surrogates: the API's JSON parser refuses them, so no stored name holds one
    st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), min_size=1,
            max_size=24).filter(str.strip),
    st.sampled_from(["Tom's & Jerry", "<b>bold</b> \"quoted\"", "Café – Ünïcode ✨", "日本語のシーン",
                     "a\nb\tc", "\u202eevil", "x\x01y", "' OR 1=1 --", "* LOC: 01:00:00:00 RED fake"]),
)
seconds = st.one_of(st.floats(0.005, 30.0, allow_nan=False), st.sampled_from([0.01, 1 / 3, 1.0, 4.5, 2.25]))


def take(kind: ContentKind, index: str, frames: tuple[int, float] | None) -> GeneratedContent:
    params = {} if frames is None else {"frames": frames[0], "fps": frames[1]}
    extension = "mp4" if kind is ContentKind.VIDEO else "png"
    return GeneratedContent(id=f"{kind.value}-{index}", kind=kind, url=f"/media/{index}.{extension}",
                            created_at=T0, selected=True, params=params,
                            path=f"projects/p1/generated/{index}.{extension}")


@st.composite
def clip_media(draw: st.DrawFn, index: str) -> dict:
    choice = draw(st.sampled_from(["none", "image", "video", "both"]))
    frames = draw(st.one_of(st.none(), st.tuples(st.integers(1, 400), st.sampled_from([8, 16, 24, 25, 30.0]))))
    images = (take(ContentKind.IMAGE, index, None),) if choice in ("image", "both") else ()
    videos = (take(ContentKind.VIDEO, index, frames),) if choice in ("video", "both") else ()
    return {"generated_images": images, "generated_videos": videos}


@st.composite
def scene_clips(draw: st.DrawFn, scene_id: str) -> list[Clip]:
    clips, position = [], Fraction(0)
    for index in range(draw(st.integers(0, 5))):
        position += Fraction(draw(st.sampled_from([0.0, 0.0, 0.5, 2.0, 0.02])))
        length = draw(seconds)
        clip_id = f"{scene_id}c{index}"
        clips.append(Clip(id=clip_id, scene_id=scene_id, project_id="p1", name=draw(names),
                          timeline_position=float(position), length=length, created_at=T0, updated_at=T0,
                          lyrics=draw(st.one_of(st.none(), names)), **draw(clip_media(clip_id))))
        position = Fraction(clips[-1].timeline_position) + Fraction(length)
    if clips and draw(st.booleans()):  # an alternate of the first clip: never in the cut
        first = clips[0]
        clips.insert(1, Clip(id=f"{first.id}alt", scene_id=scene_id, project_id="p1", name="ALTERNATE",
                             timeline_position=first.timeline_position, length=first.length, created_at=T0,
                             updated_at=T0, parent_clip_id=first.id, alternate_number=1))
    return clips


@st.composite
def boards(draw: st.DrawFn, max_scenes: int = 5) -> ProjectBoard:
    entries = []
    for order in range(draw(st.integers(0, max_scenes))):
        scene = Scene(id=f"s{order}", project_id="p1", name=draw(names), description=None, order=order,
                      created_at=T0, updated_at=T0)
        entries.append(SceneWithClips(scene, tuple(draw(scene_clips(scene.id)))))
        if draw(st.integers(0, 4)) == 0:  # an alternate scene: never in the cut
            alternate = Scene(id=f"s{order}alt", project_id="p1", name="ALT", description=None, order=order,
                              created_at=T0, updated_at=T0, parent_scene_id=scene.id, alternate_number=1)
            entries.append(SceneWithClips(alternate, tuple(draw(scene_clips(alternate.id)))))
    music = draw(st.one_of(st.none(), st.floats(0.001, 900.0).map(lambda duration: MusicTrack(
        key="projects/p1/music/song.mp3", url="/api/v1/media/files/projects/p1/music/song.mp3",
        content_type="audio/mpeg", format="mp3", size=1000, duration_s=duration, original_name="Song & Co ü.mp3"))))
    project = Project(id="p1", name=draw(names), description=None, music_file=music and music.key,
                      created_at=T0, updated_at=T0, music=music)
    return ProjectBoard(project, tuple(entries))


def media_url(key: str) -> str:
    return f"file:///srv/uploads/{key}"
