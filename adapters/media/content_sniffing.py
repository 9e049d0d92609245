"""What a file is, from its first bytes (magic numbers) only: never from its name or a declared type."""

from collections.abc import Callable

from attrs import frozen

from domain.media import MediaKind

OCTET_STREAM = "application/octet-stream"
Read = Callable[[int, int], bytes]  # (offset, size) -> at most `size` bytes from `offset`
HEAD = 64


@frozen
class MediaType:
    name: str
    content_type: str
    extension: str
    kind: MediaKind


MP3 = MediaType("mp3", "audio/mpeg", ".mp3", MediaKind.AUDIO)
AAC = MediaType("aac", "audio/aac", ".aac", MediaKind.AUDIO)
WAV = MediaType("wav", "audio/wav", ".wav", MediaKind.AUDIO)
FLAC = MediaType("flac", "audio/flac", ".flac", MediaKind.AUDIO)
OGG_VORBIS = MediaType("vorbis", "audio/ogg; codecs=vorbis", ".ogg", MediaKind.AUDIO)
OGG_OPUS = MediaType("opus", "audio/ogg; codecs=opus", ".opus", MediaKind.AUDIO)
OGG_FLAC = MediaType("ogg-flac", "audio/ogg; codecs=flac", ".oga", MediaKind.AUDIO)
M4A = MediaType("m4a", "audio/mp4", ".m4a", MediaKind.AUDIO)
AIFF = MediaType("aiff", "audio/aiff", ".aiff", MediaKind.AUDIO)
PNG = MediaType("png", "image/png", ".png", MediaKind.IMAGE)
JPEG = MediaType("jpeg", "image/jpeg", ".jpg", MediaKind.IMAGE)
WEBP = MediaType("webp", "image/webp", ".webp", MediaKind.IMAGE)
GIF = MediaType("gif", "image/gif", ".gif", MediaKind.IMAGE)
MP4 = MediaType("mp4", "video/mp4", ".mp4", MediaKind.VIDEO)
MOV = MediaType("mov", "video/quicktime", ".mov", MediaKind.VIDEO)
WEBM = MediaType("webm", "video/webm", ".webm", MediaKind.VIDEO)
MKV = MediaType("mkv", "video/x-matroska", ".mkv", MediaKind.VIDEO)
ALL = (MP3, AAC, WAV, FLAC, OGG_VORBIS, OGG_OPUS, OGG_FLAC, M4A, AIFF, PNG, JPEG, WEBP, GIF, MP4, MOV, WEBM, MKV)
BY_EXTENSION = {media_type.extension: media_type for media_type in ALL}
AUDIO_BRANDS = (b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B ")
OGG_CODECS = ((b"\x01vorbis", OGG_VORBIS), (b"OpusHead", OGG_OPUS), (b"\x7fFLAC", OGG_FLAC))


def sniff(read: Read) -> MediaType | None:
    """The type of the bytes `read` gives, or None when they are none of the supported types."""
    head = read(0, HEAD)
    if head.startswith(b"ID3"):
        return _after_id3(read, head)
    return _container(head) or _mpeg_audio(head)


def sniff_bytes(data: bytes) -> MediaType | None:
    return sniff(lambda offset, size: data[offset:offset + size])


def _container(head: bytes) -> MediaType | None:
    for check in (_riff, _iff, _ogg, _iso_media, _matroska, _fixed_signature):
        found = check(head)
        if found is not None:
            return found
    return None


def _fixed_signature(head: bytes) -> MediaType | None:
    signatures = ((b"fLaC", FLAC), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG),
                  (b"GIF87a", GIF), (b"GIF89a", GIF))
    return next((media_type for magic, media_type in signatures if head.startswith(magic)), None)


def _riff(head: bytes) -> MediaType | None:
    if head[:4] != b"RIFF":
        return None
    return {b"WAVE": WAV, b"WEBP": WEBP}.get(head[8:12])


def _iff(head: bytes) -> MediaType | None:
    return AIFF if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC") else None


def _ogg(head: bytes) -> MediaType | None:
    if not head.startswith(b"OggS") or len(head) < 28:
        return None
    packet = head[27 + head[26]:]
    return next((media_type for magic, media_type in OGG_CODECS if packet.startswith(magic)), None)


def _iso_media(head: bytes) -> MediaType | None:
    if head[4:8] != b"ftyp":
        return None
    brand = head[8:12]
    if brand in AUDIO_BRANDS:
        return M4A
    return MOV if brand == b"qt  " else MP4


def _matroska(head: bytes) -> MediaType | None:
    if not head.startswith(b"\x1a\x45\xdf\xa3"):
        return None
    return WEBM if b"webm" in head else MKV


def _mpeg_audio(head: bytes) -> MediaType | None:
    """An MPEG audio frame header (MP3 and its layers) or an ADTS AAC header at the start."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return None
    version, layer = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    if layer == 0:
        return AAC if head[1] & 0xF6 == 0xF0 else None
    bitrate, sample_rate = head[2] >> 4, (head[2] >> 2) & 3
    if version == 1 or bitrate in (0, 15) or sample_rate == 3:
        return None
    return MP3


def _after_id3(read: Read, head: bytes) -> MediaType | None:
    """An ID3v2 tag may precede MPEG, AAC or FLAC audio; the tag alone is not audio."""
    if len(head) < 10 or head[3] not in (2, 3, 4) or any(byte & 0x80 for byte in head[6:10]):
        return None
    size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]
    footer = 10 if head[5] & 0x10 else 0
    following = read(10 + size + footer, HEAD)
    found = _mpeg_audio(following) or _fixed_signature(following)
    return found if found in (MP3, AAC, FLAC) else None
