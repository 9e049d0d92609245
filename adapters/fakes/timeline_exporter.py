"""An exporter that writes the cut as plain lines (scene / clip / seconds), whatever the format asked."""

from attrs import define, field

from application.ports.project_board_reader import ProjectBoard
from application.ports.timeline_exporter import ExportedFile, ExportOptions


@define
class PlainTextExporter:
    exported: list[ExportOptions] = field(factory=list)

    async def export(self, board: ProjectBoard, options: ExportOptions) -> ExportedFile:
        self.exported.append(options)
        lines = [f"{board.project.name} @ {options.rate.label} fps from frame {options.start_frame}"]
        lines += [f"{entry.scene.name} / {clip.name} / {clip.timeline_position}+{clip.length}"
                  for entry in board.scenes if not entry.scene.is_alternate
                  for clip in entry.clips if not clip.is_alternate]
        return ExportedFile(content="\n".join(lines).encode(), media_type="text/plain",
                            extension=f".{options.format.value}.txt", title=board.project.name)
