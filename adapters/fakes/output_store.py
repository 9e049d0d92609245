"""Generated takes kept in memory."""

from collections.abc import AsyncIterator

from attrs import define, field

from application.ports.output_store import StoredOutput


@define
class InMemoryOutputStore:
    files: dict[str, bytes] = field(factory=dict)

    async def save_output(self, project_id: str, clip_id: str, filename: str,
                          chunks: AsyncIterator[bytes]) -> StoredOutput:
        data = b"".join([chunk async for chunk in chunks])
        key = f"projects/{project_id}/generated/{clip_id}-{len(self.files)}-{filename}"
        self.files[key] = data
        return StoredOutput(key=key, url=f"/api/v1/media/files/{key}", content_type="image/png", size=len(data))
