#!/usr/bin/env python3
"""Writes the PWA icons www/icons/icon-{192,512}.png and icon.svg: the page's ◉ logo (accent ring
and dot on a dark rounded square). Standard library only; run once, the outputs are committed."""
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "www" / "icons"
BG = (0x17, 0x1B, 0x22)
ACCENT = (0x6B, 0x9D, 0xE6)


def pixel(x, y, n):
    """Colour of pixel (x, y) of an n×n icon, 4×4 supersampled for smooth edges."""
    acc = [0, 0, 0, 0]
    for sy in range(4):
        for sx in range(4):
            u = (x + (sx + 0.5) / 4) / n - 0.5
            v = (y + (sy + 0.5) / 4) / n - 0.5
            r = (u * u + v * v) ** 0.5
            # Rounded square (radius 0.18) with the maskable safe zone kept clear of detail.
            qx, qy = max(abs(u) - 0.32, 0), max(abs(v) - 0.32, 0)
            if (qx * qx + qy * qy) ** 0.5 > 0.18:
                continue
            c = ACCENT if (0.22 < r < 0.30) or r < 0.11 else BG
            acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2]; acc[3] += 255
    k = 16
    return bytes([acc[0] // max(acc[3] // 255, 1), acc[1] // max(acc[3] // 255, 1),
                  acc[2] // max(acc[3] // 255, 1), acc[3] // k])


def png(n):
    rows = b"".join(b"\0" + b"".join(pixel(x, y, n) for x in range(n)) for y in range(n))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", n, n, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
<rect x="0" y="0" width="100" height="100" rx="18" fill="#171b22"/>
<circle cx="50" cy="50" r="26" fill="none" stroke="#6b9de6" stroke-width="8"/>
<circle cx="50" cy="50" r="11" fill="#6b9de6"/>
</svg>
"""

if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for n in (192, 512):
        (OUT / f"icon-{n}.png").write_bytes(png(n))
    (OUT / "icon.svg").write_text(SVG)
