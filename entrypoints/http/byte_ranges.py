"""The `Range` header of a GET (RFC 9110, 14.1-14.2): which one part of a file of `size` bytes to send, if any."""

import re

from attrs import frozen

MAX_SPECS = 100  # more than this many ranges in one header is no range request we answer
INT_RANGE = re.compile(r"(\d+)-(\d*)", re.ASCII)
SUFFIX_RANGE = re.compile(r"-(\d+)", re.ASCII)


@frozen
class ByteRange:
    first: int
    last: int  # inclusive, as in the header


class RangeNotSatisfiable(Exception):
    """No range of the header overlaps the file (416)."""


def _specs(header: str) -> list[tuple[int | None, int | None]] | None:
    """(first, last) per range-spec, (None, n) for the last n bytes; None if the header is not valid byte ranges."""
    unit, equals, range_set = header.partition("=")
    if not equals or unit.strip().lower() != "bytes":
        return None
    specs: list[tuple[int | None, int | None]] = []
    for element in (item.strip(" \t") for item in range_set.split(",")):
        if not element:
            continue  # empty list elements are allowed (RFC 9110, 5.6.1.2)
        if match := INT_RANGE.fullmatch(element):
            first, last = int(match[1]), int(match[2]) if match[2] else None
            if last is not None and last < first:
                return None
            specs.append((first, last))
        elif match := SUFFIX_RANGE.fullmatch(element):
            specs.append((None, int(match[1])))
        else:
            return None
    return specs if 0 < len(specs) <= MAX_SPECS else None


def _satisfiable(spec: tuple[int | None, int | None], size: int) -> ByteRange | None:
    first, last = spec
    if first is None:  # a suffix: the last `last` bytes
        return ByteRange(max(0, size - last), size - 1) if last else None
    if first >= size:
        return None
    return ByteRange(first, size - 1 if last is None else min(last, size - 1))


def _coalesced(ranges: list[ByteRange]) -> list[ByteRange]:
    """Overlapping or adjacent ranges merged into one."""
    merged: list[ByteRange] = []
    for current in sorted(ranges, key=lambda r: r.first):
        if merged and current.first <= merged[-1].last + 1:
            merged[-1] = ByteRange(merged[-1].first, max(merged[-1].last, current.last))
        else:
            merged.append(current)
    return merged


def range_to_send(header: str | None, size: int) -> ByteRange | None:
    """The one range to answer with 206, or None for the whole file (200).

    No header, another unit, a malformed header, an empty file and several ranges that do not merge into one
    are answered with the whole file; a header none of whose ranges overlap the file raises RangeNotSatisfiable.
    """
    specs = None if header is None or size == 0 else _specs(header)
    if specs is None:
        return None
    ranges = _coalesced([r for r in (_satisfiable(spec, size) for spec in specs) if r is not None])
    if not ranges:
        raise RangeNotSatisfiable(f"bytes */{size}")
    return ranges[0] if len(ranges) == 1 else None
