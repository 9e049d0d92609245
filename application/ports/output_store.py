"""Port: where generated takes are kept once downloaded from the generation server."""

from collections.abc import AsyncIterator
from typing import Protocol

from attrs import frozen


@frozen
class StoredOutput:
    key: str  # storage-relative path
    url: str  # where the API serves it
    content_type: str
    size: int


class OutputStore(Protocol):
    async def save_output(self, project_id: str, clip_id: str, filename: str,
                          chunks: AsyncIterator[bytes]) -> StoredOutput:
        """Stream one generated file into storage under a generated name."""
        ...
