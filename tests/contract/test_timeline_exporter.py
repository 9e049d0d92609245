"""The TimelineExporter contract, against the plain-text fake and the OpenTimelineIO exporter."""

import pytest
from hypothesis import HealthCheck, given, settings

from adapters.export.exporter import OtioTimelineExporter
from adapters.fakes.timeline_exporter import PlainTextExporter
from application.ports.project_board_reader import ProjectBoard
from application.ports.timeline_exporter import ExportFormat, ExportOptions
from domain.timecode import RATES
from tests.unit.adapters.board_strategies import boards, media_url


@pytest.fixture(params=["fake", "otio"])
def exporter(request: pytest.FixtureRequest):
    return PlainTextExporter() if request.param == "fake" else OtioTimelineExporter(media_url)


@pytest.mark.parametrize("fmt", list(ExportFormat))
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(board=boards(max_scenes=3))
async def test_every_format_gives_a_named_file_of_the_project(exporter, fmt: ExportFormat,
                                                              board: ProjectBoard) -> None:
    exported = await exporter.export(board, ExportOptions(fmt, RATES["24"], 0))
    assert exported.content and exported.title == board.project.name
    assert exported.extension.startswith(".") and "/" in exported.media_type
