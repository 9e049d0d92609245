"""What a command prints: JSON with `--json` (the API's shapes), else rich tables and lines for people."""

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from entrypoints.http.json_converter import make_json_converter

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON (the API's shape) instead of a table.")


def console() -> Console:
    """A console on the current stdout (a test runner swaps it per command)."""
    return Console(file=sys.stdout, soft_wrap=True, highlight=False)


def as_data(value: Any) -> Any:
    return make_json_converter().unstructure(value)


def print_json(value: Any) -> None:
    click.echo(json.dumps(as_data(value), indent=2, default=str))


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    grid = Table(title=title, show_lines=False, title_justify="left")
    for column in columns:
        grid.add_column(column)
    for row in rows:
        grid.add_row(*("" if cell is None else str(cell) for cell in row))
    return grid


def emit(value: Any, as_json: bool, render: Callable[[Any], Any]) -> None:
    """JSON, or what `render` makes of the value (a rich renderable or a line)."""
    if as_json:
        print_json(value)
    else:
        console().print(render(value))


def done(message: str) -> None:
    """The one line a write command prints."""
    console().print(message)
