"""Today's asset registry: every output and upload gets an id, a content hash, its size, MIME type and tags."""

import copy
import hashlib
import mimetypes
import os
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from attrs import define, field, frozen


@frozen
class Asset:
    """One registered file, as POST /upload/image's `asset` shows it."""

    id: str
    name: str
    asset_hash: str
    size: int
    mime_type: str | None
    tags: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "asset_hash": self.asset_hash, "size": self.size,
                "mime_type": self.mime_type, "tags": list(self.tags)}


def content_hash(data: bytes) -> str:
    """A `blake3:<hex>` hash; the simulator computes BLAKE2b-256 under that prefix (no blake3 dependency)."""
    return "blake3:" + hashlib.blake2b(data, digest_size=32).hexdigest()


@define
class AssetRegistry:
    """Assets by absolute path, each keeping its id for as long as the server runs."""

    directories: Mapping[str, Path]
    by_path: dict[Path, Asset] = field(factory=dict)

    def register(self, path: Path, *, tags: tuple[str, ...]) -> Asset:
        """Register (or re-hash) a file, keeping the id of a path registered before."""
        path = Path(os.path.abspath(path))
        data = path.read_bytes()
        known = self.by_path.get(path)
        asset = Asset(known.id if known else str(uuid.uuid4()), path.name, content_hash(data), len(data),
                      mimetypes.guess_type(path.name)[0], tags)
        self.by_path[path] = asset
        return asset

    def path_of_hash(self, asset_hash: str) -> Path | None:
        """The file registered under a hash, for GET /view?filename=blake3:..."""
        return next((path for path, asset in self.by_path.items() if asset.asset_hash == asset_hash), None)

    def enrich(self, output_ui: Mapping[str, Any]) -> dict[str, Any]:
        """A copy of a node's UI output whose file entries carry their asset `id` (asset_enrichment)."""
        enriched = copy.deepcopy(dict(output_ui))
        for entries in enriched.values():
            for entry in entries if isinstance(entries, list) else ():
                path = self._resolve(entry) if isinstance(entry, dict) else None
                if path is not None:
                    known = self.by_path.get(path)
                    entry["id"] = (known or self.register(path, tags=(entry["type"],))).id
        return enriched

    def _resolve(self, entry: dict[str, Any]) -> Path | None:
        """An output entry's file inside its base directory, or None (skipped, as upstream does)."""
        base = self.directories.get(entry.get("type"))
        if base is None or "filename" not in entry:
            return None
        path = Path(os.path.abspath(os.path.join(base, entry.get("subfolder") or "", entry["filename"])))
        if os.path.commonpath([base, path]) != str(base) or not path.is_file():
            return None
        return path
