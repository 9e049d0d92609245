"""The TimelineExporter: one OTIO timeline per export, handed to the writer of the asked format."""

import asyncio
from collections.abc import Callable

import opentimelineio as otio
from attrs import frozen

from adapters.export.edl import write_edl
from adapters.export.fcp7_xml import write_fcp7_xml
from adapters.export.fcpxml import write_fcpxml
from adapters.export.json_format import write_json
from adapters.export.otio_format import write_otio, write_resolve_otio
from adapters.export.timeline_builder import MediaUrl, TimelineBuilder
from adapters.export.timeline_view import TimelineView, view_of
from application.ports.project_board_reader import ProjectBoard
from application.ports.timeline_exporter import ExportedFile, ExportFormat, ExportOptions

OTIO_MEDIA = "application/vnd.opentimelineio+json"


@frozen
class Writer:
    write: Callable[[otio.schema.Timeline], bytes]
    media_type: str
    extension: str


def _from_view(write: Callable[[TimelineView], bytes]) -> Callable[[otio.schema.Timeline], bytes]:
    return lambda timeline: write(view_of(timeline))


WRITERS: dict[ExportFormat, Writer] = {
    ExportFormat.FCPXML: Writer(_from_view(write_fcpxml), "application/xml", ".fcpxml"),
    ExportFormat.EDL: Writer(_from_view(write_edl), "text/plain", ".edl"),
    ExportFormat.RESOLVE: Writer(write_resolve_otio, OTIO_MEDIA, ".otio"),
    ExportFormat.RESOLVE_XML: Writer(_from_view(write_fcp7_xml), "application/xml", ".xml"),
    ExportFormat.OTIO: Writer(write_otio, OTIO_MEDIA, ".otio"),
    ExportFormat.JSON: Writer(_from_view(write_json), "application/json", ".json"),
}


@frozen
class OtioTimelineExporter:
    media_url: MediaUrl

    async def export(self, board: ProjectBoard, options: ExportOptions) -> ExportedFile:
        return await asyncio.to_thread(self.export_now, board, options)

    def export_now(self, board: ProjectBoard, options: ExportOptions) -> ExportedFile:
        timeline = TimelineBuilder(options.rate, self.media_url).build(board, start_frame=options.start_frame,
                                                                       rhythm=options.rhythm)
        writer = WRITERS[options.format]
        return ExportedFile(content=writer.write(timeline), media_type=writer.media_type,
                            extension=writer.extension, title=board.project.name)
