"""An in-memory BundleArchive: bundles kept by path, as the zip adapter would write and read them."""

from pathlib import Path

from attrs import define, field

from application.ports.bundle_archive import InvalidBundle, ProjectBundle


@define
class InMemoryBundleArchive:
    written: dict[Path, ProjectBundle] = field(factory=dict)

    async def write(self, bundle: ProjectBundle, destination: Path) -> int:
        if not destination.parent.is_dir():  # as the file system would refuse it
            raise FileNotFoundError(2, "No such file or directory", str(destination))
        self.written[destination] = bundle
        return 1 + sum(len(content) for content in bundle.files.values())

    async def read(self, source: Path) -> ProjectBundle:
        if source not in self.written:
            raise InvalidBundle(f"not a StoryCanvas bundle: {source}")
        return self.written[source]
