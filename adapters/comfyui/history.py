"""A prompt's outcome read from its /history entry."""

from typing import Any

from application.ports.generation_backend import OutputFile, PromptOutcome, PromptStatus

OUTPUT_KEYS = ("images", "gifs", "videos")


def output_files(outputs: dict[str, Any]) -> tuple[OutputFile, ...]:
    files = []
    for node_id, output in outputs.items():
        if not isinstance(output, dict):
            continue
        animated = output.get("animated") or []
        for key in OUTPUT_KEYS:
            for index, item in enumerate(output.get(key) or []):
                if not isinstance(item, dict) or "filename" not in item:
                    continue  # text or other outputs; extra keys (asset ids) are ignored
                files.append(OutputFile(
                    node_id=node_id, filename=item["filename"], subfolder=item.get("subfolder", ""),
                    folder_type=item.get("type", "output"),
                    animated=bool(animated[index] if index < len(animated) else animated and animated[0]),
                ))
    return tuple(files)


def failure(prompt_id: str, data: dict[str, Any]) -> PromptOutcome:
    """An execution_error message (from the socket or the history) as an outcome."""
    message = f"{data.get('exception_type', 'Error')} in node {data.get('node_id')} ({data.get('node_type')}): " \
              f"{str(data.get('exception_message', '')).strip()}"
    details = {key: data.get(key) for key in ("node_id", "node_type", "exception_type", "exception_message")}
    return PromptOutcome(prompt_id, PromptStatus.FAILED, error=message, details=details)


def outcome_from_history(prompt_id: str, entry: dict[str, Any]) -> PromptOutcome:
    status = entry.get("status", {})
    messages = {kind: data for kind, data in status.get("messages", [])}
    if status.get("status_str") == "success" and status.get("completed", False):
        return PromptOutcome(prompt_id, PromptStatus.SUCCEEDED, outputs=output_files(entry.get("outputs", {})))
    if "execution_interrupted" in messages:
        return PromptOutcome(prompt_id, PromptStatus.INTERRUPTED, error="interrupted")
    return failure(prompt_id, messages.get("execution_error", {}))
