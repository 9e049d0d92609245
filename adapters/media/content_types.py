"""Media types of generated files, by their first bytes (never by name)."""

SIGNATURES: tuple[tuple[int, bytes, str, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (0, b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (0, b"GIF8", "image/gif", ".gif"),
    (8, b"WEBP", "image/webp", ".webp"),
    (4, b"ftyp", "video/mp4", ".mp4"),
    (0, b"\x1a\x45\xdf\xa3", "video/webm", ".webm"),
)


def sniff(head: bytes) -> tuple[str, str]:
    """(content type, extension) of a file from its first bytes."""
    for offset, magic, content_type, extension in SIGNATURES:
        if head[offset:offset + len(magic)] == magic:
            return content_type, extension
    return "application/octet-stream", ".bin"
