"""Evidence documents: what may be uploaded, how its real type is checked, and where it is kept.

Plain Python apart from `store` and `path_of`, which read the upload folder from the app's configuration.
A file is accepted only when its first bytes prove the type its name claims (PDF, Word, Excel, PNG, JPEG,
GIF); anything else, including a file renamed to look like one of these, is refused. Files are kept under
UPLOAD_FOLDER with a random name, never one the user chose, and served only as downloads.
"""
from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app
from werkzeug.utils import secure_filename

# extension -> (content type stored and served, name people see)
ALLOWED: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "PDF"),
    "doc": ("application/msword", "Word"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    "xls": ("application/vnd.ms-excel", "Excel"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    "png": ("image/png", "PNG image"),
    "jpg": ("image/jpeg", "JPEG image"),
    "jpeg": ("image/jpeg", "JPEG image"),
    "gif": ("image/gif", "GIF image"),
}
ACCEPT = ",".join(f".{ext}" for ext in ALLOWED)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OOXML_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_CONTENT_TYPES_MAX = 1024 * 1024  # [Content_Types].xml is a few kilobytes; refuse a zip bomb posing as one


class UploadRejected(ValueError):
    """The file cannot be accepted; the message says why, in the NHS.UK style."""


@dataclass(frozen=True)
class CheckedUpload:
    """A file whose content proved its type: ready to store."""

    filename: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        """The file's SHA-256 digest, kept with the record."""
        return hashlib.sha256(self.data).hexdigest()


def sniff(data: bytes) -> str | None:
    """The extension family the bytes really are ("pdf", "png", "docx", "doc"…), or None when unknown."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data.startswith(b"PK\x03\x04"):
        return _ooxml_kind(data)
    if data.startswith(_OLE):
        # Compound files name their streams in UTF-16: Word keeps "WordDocument", Excel "Workbook" (or "Book").
        if "WordDocument".encode("utf-16-le") in data:
            return "doc"
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return "xls"
    return None


def _ooxml_kind(data: bytes) -> str | None:
    """docx or xlsx when the zip's [Content_Types].xml declares that main part and no macros; else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _CONTENT_TYPES_MAX:
                return None
            types = archive.read(info).decode("utf-8", errors="replace")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names) or "macroEnabled" in types:
        return None  # macro-enabled documents are refused even when named .docx or .xlsx
    for kind, main in _OOXML_MAIN.items():
        if main in types:
            return kind
    return None


def check_upload(filename: str, stream: IO[bytes], max_bytes: int) -> CheckedUpload:
    """Read and check an uploaded file: a known extension, within the size limit, with content that matches."""
    safe = secure_filename(filename or "")[-120:] or "evidence"
    ext = safe.rsplit(".", 1)[-1].lower() if "." in safe else ""
    if ext not in ALLOWED:
        raise UploadRejected("The selected file must be a PDF, Word, Excel, PNG, JPEG or GIF file")
    data = stream.read(max_bytes + 1)
    if not data:
        raise UploadRejected("The selected file is empty")
    if len(data) > max_bytes:
        raise UploadRejected(f"The selected file must be smaller than {max_bytes // (1024 * 1024)} MB")
    real = sniff(data)
    if real != ("jpeg" if ext == "jpg" else ext):
        raise UploadRejected(f"The selected file is not a real {ALLOWED[ext][1]} file. "
                             "Choose the original document, not a renamed or converted copy")
    return CheckedUpload(filename=safe, content_type=ALLOWED[ext][0], data=data)


def new_storage_key() -> str:
    """A random file name, unguessable and never derived from anything the user sent."""
    return secrets.token_hex(24)


def path_of(storage_key: str) -> Path:
    """Where a stored document's bytes are; the key is checked so no path can be smuggled in."""
    if len(storage_key) != 48 or any(c not in "0123456789abcdef" for c in storage_key):
        raise ValueError("not a storage key")
    return Path(current_app.config["UPLOAD_FOLDER"]) / storage_key


def store(upload: CheckedUpload) -> str:
    """Write the bytes under a new random key and return the key."""
    key = new_storage_key()
    path = path_of(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as out:  # "x": never overwrite
        out.write(upload.data)
    return key


def discard(storage_key: str) -> None:
    """Remove a stored file whose record was not saved."""
    path_of(storage_key).unlink(missing_ok=True)
