"""Episode files: which audio and video formats a portal accepts, and how big they may be."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

# Extension -> MIME type sent to podcast apps in the enclosure.
EPISODE_FORMATS: dict[str, str] = {
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "aac": "audio/aac",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "opus": "audio/ogg",
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "webm": "video/webm",
}
DEFAULT_MAX_MEGABYTES = 300


def max_episode_bytes() -> int:
    """The largest file an animator may upload (``RADIO_MAX_UPLOAD_MB``, 300 MB by default)."""
    return getattr(settings, "RADIO_MAX_UPLOAD_MB", DEFAULT_MAX_MEGABYTES) * 1024 * 1024


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def media_type(name: str) -> str:
    """The MIME type of an episode file, from its extension."""
    return EPISODE_FORMATS.get(extension_of(name), "application/octet-stream")


def is_video(name: str) -> bool:
    return media_type(name).startswith("video/")


def _looks_like(extension: str, head: bytes) -> bool:
    """Whether the first bytes match the format the extension promises.

    A renamed executable or PDF is refused even with an ``.mp3`` name: podcast apps and
    browsers would otherwise be handed something that is not a sound.
    """
    mpeg_sync = len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
    if extension in ("mp3", "aac"):
        return head.startswith(b"ID3") or mpeg_sync
    if extension in ("ogg", "oga", "opus"):
        return head.startswith(b"OggS")
    if extension in ("mp4", "m4a", "m4v"):
        return head[4:8] == b"ftyp"
    if extension == "webm":
        return head.startswith(b"\x1a\x45\xdf\xa3")
    return False


def validate_episode_file(value: File) -> None:
    """Refuse, in French, a file that is not a known audio/video format or is too large."""
    extension = extension_of(value.name or "")
    if extension not in EPISODE_FORMATS:
        raise ValidationError(
            _("Format refusé : déposez un fichier audio ou vidéo (%(formats)s)."),
            code="episode_format",
            params={"formats": ", ".join(f".{ext}" for ext in EPISODE_FORMATS)},
        )
    # A file already stored was checked when it was uploaded.
    if getattr(value, "_committed", True):
        return
    if value.size > max_episode_bytes():
        raise ValidationError(
            _("Fichier trop lourd : %(max)s Mo au plus."),
            code="episode_size",
            params={"max": max_episode_bytes() // (1024 * 1024)},
        )
    position = value.tell() if hasattr(value, "tell") else 0
    value.seek(0)
    head = value.read(12)
    value.seek(position)
    if not _looks_like(extension, head):
        raise ValidationError(
            _("Ce fichier n'est pas un vrai fichier .%(ext)s : son contenu ne correspond pas."),
            code="episode_content",
            params={"ext": extension},
        )
