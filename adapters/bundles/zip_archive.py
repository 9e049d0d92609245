"""Bundles as zip files: `manifest.json` (the entities, as JSON) beside `files/<media key>` (the bytes).

Written to a temporary file beside the destination and renamed into place, so a failed write leaves nothing.
"""

import asyncio
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from attrs import evolve
from cattrs.preconf.json import JsonConverter, make_converter

from application.ports.bundle_archive import InvalidBundle, ProjectBundle

FORMAT = "storycanvas-bundle"
VERSION = 1
MANIFEST = "manifest.json"
FILES = "files/"
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
# What a bundle may unpack to: a guard against a small zip that expands to fill the memory (a zip bomb).
MAX_UNPACKED_BYTES = 8 * 1024 * 1024 * 1024


def make_bundle_converter() -> JsonConverter:
    return make_converter(forbid_extra_keys=True)


class ZipBundleArchive:
    """The BundleArchive port on zip files."""

    def __init__(self, converter: JsonConverter | None = None) -> None:
        self._converter = converter or make_bundle_converter()

    async def write(self, bundle: ProjectBundle, destination: Path) -> int:
        return await asyncio.to_thread(self._write, bundle, destination)

    async def read(self, source: Path) -> ProjectBundle:
        return await asyncio.to_thread(self._read, source)

    def _manifest(self, bundle: ProjectBundle) -> dict[str, Any]:
        entities = self._converter.unstructure(bundle)
        del entities["files"]
        return {"format": FORMAT, "version": VERSION, **entities, "files": sorted(bundle.files)}

    def _write(self, bundle: ProjectBundle, destination: Path) -> int:
        handle, partial = tempfile.mkstemp(prefix=".bundle-", suffix=".partial", dir=destination.parent or ".")
        os.close(handle)
        try:
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(MANIFEST, json.dumps(self._manifest(bundle), indent=1))
                for key, content in bundle.files.items():
                    archive.writestr(FILES + key, content, compress_type=zipfile.ZIP_STORED)
            os.replace(partial, destination)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        return destination.stat().st_size

    def _read(self, source: Path) -> ProjectBundle:
        try:
            with zipfile.ZipFile(source) as archive:
                manifest = _manifest_of(archive)
                files = {key: _member(archive, FILES + key) for key in _keys(manifest)}
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
            raise InvalidBundle(f"{source} is not a readable zip file: {exc}") from exc
        except OSError as exc:
            raise InvalidBundle(f"cannot read {source}: {exc.strerror or exc}") from exc
        try:
            entities = self._converter.structure({**manifest, "files": {}}, ProjectBundle)
        except Exception as exc:  # cattrs and the entities' validators: any of them means a damaged manifest
            raise InvalidBundle(f"{source} holds a damaged manifest: {_first_reason(exc)}") from exc
        return evolve(entities, files=files)


def _manifest_of(archive: zipfile.ZipFile) -> dict[str, Any]:
    if MANIFEST not in archive.namelist():
        raise InvalidBundle(f"not a StoryCanvas bundle: no {MANIFEST}")
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        raise InvalidBundle("the bundle unpacks to more than 8 GiB")
    raw = _member(archive, MANIFEST)
    try:
        manifest = json.loads(raw) if len(raw) <= MAX_MANIFEST_BYTES else None
    except ValueError as exc:
        raise InvalidBundle(f"the bundle's {MANIFEST} is not JSON: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidBundle(f"not a StoryCanvas bundle: {MANIFEST} does not say format {FORMAT!r}")
    if manifest.get("version") != VERSION:
        raise InvalidBundle(f"a bundle of format version {manifest.get('version')!r}; this version reads {VERSION}")
    return {key: value for key, value in manifest.items() if key not in ("format", "version")}


def _keys(manifest: dict[str, Any]) -> list[str]:
    keys = manifest.get("files")
    if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
        raise InvalidBundle(f"the bundle's {MANIFEST} lists its files wrongly")
    return keys


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)  # checks the CRC: a damaged member raises BadZipFile
    except KeyError as exc:
        raise InvalidBundle(f"the bundle lacks {name}, which its manifest lists") from exc


def _first_reason(exc: BaseException) -> str:
    while isinstance(exc, ExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return str(exc) or type(exc).__name__
