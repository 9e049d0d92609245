"""Keys of stored media and the sanitising of users' file names.

A key is `projects/<project id>/<folder>/<name>` (deleted with the project) or `shared/<folder>/<name>`;
folders are music, images and generated; names are generated, never the user's.
"""

import re
import unicodedata
import uuid
from urllib.parse import unquote

SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,150}\.[a-z0-9]{1,5}")
FOLDERS = frozenset({"music", "images", "generated"})
PROJECTS, SHARED = "projects", "shared"
MAX_ORIGINAL_NAME = 255


def folder_key(project_id: str | None, folder: str) -> str:
    """The key prefix of a folder; raises ValueError for anything that is not a plain id or a known folder."""
    if folder not in FOLDERS or (project_id is not None and not SEGMENT.fullmatch(project_id)):
        raise ValueError(f"not a media folder: {project_id!r}/{folder!r}")
    return f"{SHARED}/{folder}" if project_id is None else f"{PROJECTS}/{project_id}/{folder}"


def is_key(key: str) -> bool:
    """Well-formed keys only: no dots, slashes, unicode, NUL or unknown folders anywhere."""
    parts = key.split("/")
    if len(parts) == 4 and parts[0] == PROJECTS:
        return bool(SEGMENT.fullmatch(parts[1])) and parts[2] in FOLDERS and bool(NAME.fullmatch(parts[3]))
    return len(parts) == 3 and parts[0] == SHARED and parts[1] in FOLDERS and bool(NAME.fullmatch(parts[2]))


def is_project_id(project_id: str) -> bool:
    return SEGMENT.fullmatch(project_id) is not None


def new_name(extension: str, prefix: str | None = None) -> str:
    """A fresh, unguessable file name; an optional prefix (a clip id) says what it belongs to."""
    token = uuid.uuid4().hex
    return f"{prefix}-{token}{extension}" if prefix and SEGMENT.fullmatch(prefix) else f"{token}{extension}"


def is_named_after(name: str, prefix: str) -> bool:
    """Whether `name` is one `new_name(extension, prefix)` made."""
    return re.fullmatch(re.escape(prefix) + r"-[0-9a-f]{32}\.[a-z0-9]{1,5}", name) is not None


def sanitize_original_name(raw: str | None) -> str | None:
    """The user's file name as metadata: its last path part, without control or bidi characters.

    Clients may percent-encode it (RFC 7578, 4.2): it is decoded first, so no encoding smuggles a separator.
    """
    if raw is None:
        return None
    text = unicodedata.normalize("NFKC", unquote(raw))
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(char for char in text if not unicodedata.category(char).startswith(("C", "Z")) or char == " ")
    text = " ".join(text.split()).lstrip(".")
    return text[:MAX_ORIGINAL_NAME] or None
