"""OpenTimelineIO's native JSON: as is (.otio), and downgraded to the schemas DaVinci Resolve 18.5 reads."""

import opentimelineio as otio

RESOLVE_OTIO_RELEASE = "0.15.0"  # the OTIO release whose schemas Resolve 18.5's importer understands


def write_otio(timeline: otio.schema.Timeline) -> bytes:
    return otio.adapters.write_to_string(timeline, "otio_json", indent=2).encode()


def write_resolve_otio(timeline: otio.schema.Timeline) -> bytes:
    versions = otio.versioning.fetch_map("OTIO_CORE", RESOLVE_OTIO_RELEASE)
    return otio.adapters.write_to_string(timeline, "otio_json", indent=2, target_schema_versions=versions).encode()
