"""What the jobs API tells of a prompt's outputs: counts, the preview it picks, normalized entries (jobs.py)."""

from collections.abc import Iterator
from typing import Any

PREVIEWABLE_MEDIA_TYPES = frozenset({"images", "video", "audio", "3d", "text"})
THREE_D_EXTENSIONS = (".obj", ".fbx", ".gltf", ".glb", ".usdz")
TEXT_EXTENSIONS = (".txt", ".md", ".json")
TEXT_PREVIEW_MAX_LENGTH = 1024


def normalize_output_item(item: Any) -> dict[str, Any] | None:
    """A dict entry as it is, a 3D file name as a file entry, anything else None."""
    if isinstance(item, str):
        if item.lower().endswith(THREE_D_EXTENSIONS):
            return {"filename": item, "type": "output", "subfolder": "", "mediaType": "3d"}
        return None
    return item if isinstance(item, dict) else None


def _lists(outputs: dict[str, Any]) -> Iterator[tuple[str, str, list]]:
    """(node id, media type, items) of every output list; `animated` is a flag, not items."""
    for node_id, node_outputs in outputs.items():
        if isinstance(node_outputs, dict):
            for media_type, items in node_outputs.items():
                if media_type != "animated" and isinstance(items, list):
                    yield node_id, media_type, items


def normalize_outputs(outputs: dict[str, Any]) -> dict[str, Any]:
    """Outputs with None items dropped and 3D file names turned into file entries."""
    normalized: dict[str, Any] = {}
    for node_id, node_outputs in outputs.items():
        if not isinstance(node_outputs, dict):
            normalized[node_id] = node_outputs
            continue
        normalized[node_id] = {
            media_type: items if media_type == "animated" or not isinstance(items, list)
            else [normalize_output_item(item) or item for item in items if item is not None]
            for media_type, items in node_outputs.items()}
    return normalized


def is_previewable(media_type: str, item: dict[str, Any]) -> bool:
    """What the frontend can preview: a media type, a video/audio format, or a 3D or text file."""
    fmt = item.get("format", "")
    filename = item.get("filename", "").lower()
    return (media_type in PREVIEWABLE_MEDIA_TYPES or bool(fmt) and fmt.startswith(("video/", "audio/"))
            or filename.endswith(THREE_D_EXTENSIONS + TEXT_EXTENSIONS))


def is_text_preview(media_type: str, item: dict[str, Any]) -> bool:
    """Text outputs and saved text files, which never outrank visual media as the preview."""
    return media_type == "text" or item.get("filename", "").lower().endswith(TEXT_EXTENSIONS)


def _text_preview(value: str) -> dict[str, Any]:
    if len(value) <= TEXT_PREVIEW_MAX_LENGTH:
        return {"content": value}
    return {"content": value[:TEXT_PREVIEW_MAX_LENGTH], "truncated": True}


def _pick(picks: dict[str, Any], node_id: str, media_type: str, item: dict[str, Any]) -> None:
    enriched = {**item, "nodeId": node_id} | ({} if "mediaType" in item else {"mediaType": media_type})
    slot = "text_file" if is_text_preview(media_type, item) else "output" if item.get("type") == "output" \
        else "fallback"
    picks[slot] = picks[slot] or enriched


def outputs_summary(outputs: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
    """(outputs_count, preview_output): saved media first, then temp media, a text file, raw text."""
    count, picks = 0, dict.fromkeys(("output", "fallback", "text_file", "text"))
    for node_id, media_type, items in _lists(outputs):
        for item in items:
            normalized = item if isinstance(item, dict) else normalize_output_item(item)
            if normalized is None:
                if media_type == "text" and picks["output"] is None and picks["text"] is None:
                    text = (item[0] if item else "") if isinstance(item, tuple) else str(item)
                    picks["text"] = {**_text_preview(text), "nodeId": node_id, "mediaType": media_type}
                continue
            count += 1
            if picks["output"] is None and is_previewable(media_type, normalized):
                _pick(picks, node_id, media_type, normalized)
    return count, picks["output"] or picks["fallback"] or picks["text_file"] or picks["text"]


def count_previewable_outputs(outputs: dict[str, Any]) -> int:
    """How many output items the frontend's asset view would render."""
    return sum(1 for _, media_type, items in _lists(outputs) for item in items
               if (normalized := item if isinstance(item, dict) else normalize_output_item(item)) is not None
               and is_previewable(media_type, normalized))
