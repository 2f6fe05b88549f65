"""A reading font with extra line spacing, for the text view.

QPlainTextEdit ignores ``QTextBlockFormat.lineHeight``; its layout only includes the
font's own *leading* (line gap). So we rebuild the chosen system font from its
tables (``QRawFont.fontTable``) with a larger line gap, register the copy under a new
family name, and the view gets airy lines with room for the label tags. If anything
fails (unusual font formats), the plain font is used and tags sit closer to the text.
"""

from __future__ import annotations

import struct
from functools import cache

from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF, QRawFont

# Tables worth copying; unknown tags just come back empty from fontTable.
_TAGS = (
    "cmap head hhea hmtx maxp name OS/2 post cvt  fpgm glyf loca prep gasp CFF  VORG GDEF GPOS "
    "GSUB BASE JSTF MATH kern vhea vmtx hdmx LTSH PCLT VDMX meta COLR CPAL sbix CBDT CBLC EBDT "
    "EBLC EBSC SVG  fvar gvar avar HVAR STAT cvar"
)
_SUFFIX = " Annotator"
ABOVE_SHARE = 0.35  # of the extra space: above the text (relation arcs), the rest below (tags)
READING_FAMILIES = (
    "Source Serif 4",
    "Noto Serif",
    "DejaVu Serif",
    "Georgia",
    "Cambria",
    "Liberation Serif",
    "Times New Roman",
)


def reading_font(point_size: int, *, gap: float = 0.9) -> QFont:
    """A serif for reading, ``gap`` x em of extra space between lines (when possible)."""
    base = _pick_family()
    family = _spaced_family(base, round(gap * 100))
    font = QFont(family or base)
    font.setPointSize(point_size)
    font.setStyleHint(QFont.StyleHint.Serif)
    return font


def _pick_family() -> str:
    have = set(QFontDatabase.families())
    return next((f for f in READING_FAMILIES if f in have), QFont().family())


@cache
def _spaced_family(family: str, gap_percent: int) -> str | None:
    try:
        raw = QRawFont.fromFont(QFont(family, 12))
        tables = {t: bytes(raw.fontTable(t).data()) for t in _tags()}
        tables = {t: d for t, d in tables.items() if d}
        if (
            "hhea" not in tables
            or "name" not in tables
            or not ("glyf" in tables or "CFF " in tables)
        ):
            return None
        units = struct.unpack(">H", tables["head"][18:20])[0]
        extra = units * gap_percent / 100
        _patch_gap(tables, int(extra * ABOVE_SHARE), int(extra * (1 - ABOVE_SHARE)))
        new_family = family + _SUFFIX
        tables["name"] = _renamed(tables["name"], new_family)
        font_id = QFontDatabase.addApplicationFontFromData(_sfnt(tables))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        return families[0] if families else None
    except (struct.error, ValueError, IndexError):
        return None


def _tags() -> list[str]:
    return [_TAGS[i : i + 4] for i in range(0, len(_TAGS), 5)]


def _patch_gap(tables: dict[str, bytes], up: int, down: int) -> None:
    """Grow ascent by ``up`` and descent by ``down`` font units (room above and below)."""
    hhea = bytearray(tables["hhea"])
    _add(hhea, 4, up, ">h")
    _add(hhea, 6, -down, ">h")
    tables["hhea"] = bytes(hhea)
    os2 = tables.get("OS/2")
    if os2 and len(os2) >= 78:  # Windows engines read the OS/2 metrics instead
        b = bytearray(os2)
        _add(b, 68, up, ">h")
        _add(b, 70, -down, ">h")
        _add(b, 74, up, ">H")
        _add(b, 76, down, ">H")
        tables["OS/2"] = bytes(b)


def _add(buf: bytearray, at: int, delta: int, fmt: str) -> None:
    buf[at : at + 2] = struct.pack(fmt, struct.unpack(fmt, buf[at : at + 2])[0] + delta)


def _renamed(name: bytes, family: str) -> bytes:
    """Rewrite the family/full/PostScript names so the copy never shadows the system font."""
    _fmt, count, _off = struct.unpack(">HHH", name[:6])
    storage_at = _off
    records, strings = [], bytearray()
    for i in range(count):
        pid, eid, lid, nid, length, offset = struct.unpack(">6H", name[6 + 12 * i : 18 + 12 * i])
        data = name[storage_at + offset : storage_at + offset + length]
        if nid in (1, 4, 6, 16, 21):
            value = family.replace(" ", "") if nid == 6 else family
            data = value.encode("utf-16-be") if pid in (0, 3) else value.encode("latin-1")
        records.append((pid, eid, lid, nid, len(data), len(strings)))
        strings += data
    head = struct.pack(">HHH", 0, count, 6 + 12 * count)
    return head + b"".join(struct.pack(">6H", *r) for r in records) + bytes(strings)


def _sfnt(tables: dict[str, bytes]) -> bytes:
    tags = sorted(tables)
    n = len(tags)
    power = 1 << (n.bit_length() - 1)
    version = b"OTTO" if "CFF " in tables else b"\x00\x01\x00\x00"
    header = version + struct.pack(
        ">HHHH", n, power * 16, power.bit_length() - 1, n * 16 - power * 16
    )
    offset = 12 + 16 * n
    directory, body = bytearray(), bytearray()
    for tag in tags:
        data = tables[tag]
        directory += tag.encode("latin-1") + struct.pack(
            ">III", _checksum(data), offset + len(body), len(data)
        )
        body += data + b"\0" * (-len(data) % 4)
    return header + bytes(directory) + bytes(body)


def _checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def plain_metrics(font: QFont) -> QFontMetricsF:
    """Metrics of the unspaced original: where the glyphs really are inside a line."""
    plain = QFont(font)
    plain.setFamily(font.family().removesuffix(_SUFFIX))
    return QFontMetricsF(plain)
