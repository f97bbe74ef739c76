"""Plain cover images (PNG, 1200×630: the size Facebook and LINE previews crop to) for works
that have none of their own, and for the demo's works. Made with the standard library only."""

import struct
import zlib
from functools import lru_cache

WIDTH, HEIGHT = 1200, 630
# Background and band colours per kind of work: the department's green, a blue, an amber.
PALETTES = {
    "RESEARCH": ((0x0B, 0x5D, 0x3B), (0x8F, 0xD1, 0xA9)),
    "ACADEMIC": ((0x1E, 0x3A, 0x8A), (0x9D, 0xB8, 0xF0)),
    "INNOVATION": ((0x92, 0x40, 0x0E), (0xF5, 0xC2, 0x7A)),
}


@lru_cache(maxsize=8)
def cover_png(kind: str, variant: int = 0) -> bytes:
    """A two-colour cover for ``kind``; ``variant`` moves the band so covers of the same kind
    differ."""
    background, band = PALETTES.get(kind, PALETTES["RESEARCH"])
    top = 360 + (variant % 5) * 40
    plain = b"\x00" + bytes(background) * WIDTH
    striped = (
        b"\x00" + bytes(background) * 80 + bytes(band) * (WIDTH - 160) + bytes(background) * 80
    )
    rows = b"".join(striped if top <= y < top + 60 else plain for y in range(HEIGHT))
    return _png(WIDTH, HEIGHT, rows)


def _png(width: int, height: int, rows: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )
