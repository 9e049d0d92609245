"""The panels of a storyboard sheet: the board's main clips as the exports place them, with what each shows."""

from attrs import frozen

from adapters.export.timeline_builder import place
from application.ports.project_board_reader import ProjectBoard
from domain.generated_content import ContentKind
from domain.timecode import RATES, timecode

SHEET_RATE = RATES["24"]  # the exports' default rate, so a panel's timecode is the one an editor sees


@frozen
class Panel:
    scene: str
    scene_starts: bool  # the first panel of its scene
    name: str
    timecode: str
    length_s: float
    lyrics: str
    prompt: str
    image_key: str | None  # the selected image's stored key


def panels_of(board: ProjectBoard) -> list[Panel]:
    slots, spans = place(board, SHEET_RATE)
    scenes = {span.scene.id: span.scene.name for span in spans}
    panels, previous = [], None
    for slot in slots:
        clip, image = slot.clip, slot.clip.selected(ContentKind.IMAGE)
        panels.append(Panel(
            scene=scenes.get(clip.scene_id, ""), scene_starts=clip.scene_id != previous, name=clip.name,
            timecode=timecode(slot.record_in, SHEET_RATE),
            length_s=float(SHEET_RATE.seconds(slot.record_out - slot.record_in)),
            lyrics=(clip.lyrics or "").strip(), prompt=clip.image_prompt.strip(),
            image_key=image.path if image is not None else None))
        previous = clip.scene_id
    return panels
