"""The StoryboardRenderer contract, against the paginating fake and the reportlab renderer, on generated boards."""

import math

import pytest
from hypothesis import HealthCheck, given, settings

from adapters.fakes.storyboard_renderer import PaginatingStoryboardRenderer
from adapters.render.sheet_panels import panels_of
from adapters.render.storyboard_pdf import ReportlabStoryboardRenderer
from application.ports.project_board_reader import ProjectBoard
from application.ports.storyboard_renderer import SheetLayout, SheetOptions
from tests.unit.adapters.board_strategies import boards

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(params=["fake", "reportlab"])
def renderer(request: pytest.FixtureRequest):
    return PaginatingStoryboardRenderer() if request.param == "fake" else ReportlabStoryboardRenderer(
        locate=lambda key: None)


@pytest.mark.parametrize("layout", list(SheetLayout))
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(board=boards(max_scenes=3))
async def test_a_sheet_is_a_pdf_of_layout_sized_pages_each_a_png(renderer, layout, board: ProjectBoard):
    sheet = await renderer.sheet(board, SheetOptions(layout=layout))
    assert sheet.content.startswith(b"%PDF") and sheet.title == board.project.name
    assert sheet.pages == max(1, math.ceil(len(panels_of(board)) / (layout.columns * layout.rows)))
    assert (await renderer.page_png(sheet, sheet.pages)).startswith(PNG)
