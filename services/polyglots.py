"""Files that read as two types at once. A PDF that also holds an HTML page, or an image that is
also a ZIP archive (a "GIFAR"), passes for its first type when it is checked and runs as the
other where it is opened. Uploads are refused when, besides the type detected from their first
bytes, they hold one of these."""

import re

# Markup a browser treats as an active page wherever it finds it in a sniffed file.
_ACTIVE_MARKUP = re.compile(
    rb"<(?:script|html|!doctype\s+html|iframe|svg|body|object|embed|meta\s+http-equiv)\b",
    re.IGNORECASE,
)
# A ZIP archive is read from its end record, within its last 64 KiB (comment) + 22 bytes.
_ZIP_END = b"PK\x05\x06"
_ZIP_TAIL = 65_536 + 22
ZIP_BASED_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/zip",
    }
)


def second_type(data: bytes, detected: str) -> str | None:
    """The other type ``data`` also reads as, besides ``detected``; None when there is none."""
    if _ACTIVE_MARKUP.search(data):
        return "text/html"
    if detected not in ZIP_BASED_TYPES and _ZIP_END in data[-_ZIP_TAIL:]:
        return "application/zip"
    return None
