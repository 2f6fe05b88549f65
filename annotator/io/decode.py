"""Bytes to text for imported files: BOMs, UTF-8, legacy encodings, and refusing binaries.

News corpora arrive as a mix of UTF-8, UTF-8 with BOM, UTF-16 (Windows tools) and
cp1252/latin-1 (old CMS exports). charset-normalizer alone is unreliable on short
Western texts (it calls a short cp1252 file UTF-16 or cp1250), so a cp1252 reading
that looks like Western prose wins before it is asked.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import ImportFileError

MAX_BYTES = 50 * 1024 * 1024

# Longest first where prefixes overlap (UTF-32 LE starts like UTF-16 LE).
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh9", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Office document"),
    (b"\x7fELF", "executable"),
    (b"MZ\x90\x00", "Windows executable"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "MP4 video"),
)

# Typographic punctuation that legitimately sits between letters ("don’t", "a·b").
_JOINERS = frozenset("\u2019\u2018\u2013\u2014\u00b7\u00ad")
_CONTROL_OK = frozenset("\t\n\r\f\v\x1a")
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
# WHATWG: browsers read pages labelled latin-1/ascii as windows-1252, and so do we.
_WESTERN = frozenset({"cp1252", "iso8859-1", "latin-1", "iso8859-15", "ascii"})
_COMMON = frozenset({
    "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "koi8-r",
    "koi8-u", "iso8859-2", "iso8859-5", "iso8859-7", "iso8859-9", "cp932", "shift_jis",
    "euc_jp", "iso2022_jp", "gb2312", "gbk", "gb18030", "big5", "cp949", "euc_kr", "cp874",
})
_AS_CP1252 = frozenset({"latin-1", "iso8859-1", "ascii", "iso-8859-1", "us-ascii"})


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # the codec that decoded it, as recorded in meta["encoding"]


def read_bytes(path: Path, *, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes; refuses directories and files over ``limit`` before reading them."""
    if not path.exists():
        raise ImportFileError("no such file")
    if path.is_dir():
        raise ImportFileError("is a directory")
    size = path.stat().st_size
    if size > limit:
        raise ImportFileError(
            f"file too large ({size / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB)"
        )
    return path.read_bytes()


def read_text(path: Path, *, html: bool = False) -> Decoded:
    """Read and decode ``path``; ``html`` honours a ``<meta charset>`` declaration."""
    data = read_bytes(path)
    return decode_bytes(data, declared=declared_charset(data) if html else None)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML/XML file declares in its first few KB, if Python knows it."""
    head = data[:4096]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").lower()
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_CP1252 or codec in _AS_CP1252 else codec


def decode_bytes(data: bytes, *, declared: str | None = None) -> Decoded:
    """Decode a file's bytes or raise ``ImportFileError`` with a one-line reason."""
    if not data:
        raise ImportFileError("empty file")
    decoded = _decode_bom(data) or _decode_utf16_without_bom(data)
    if decoded is None:
        _refuse_binary(data)
        decoded = _decode_plain(data, declared)
    _refuse_control_chars(decoded.text)
    if not decoded.text.strip():
        raise ImportFileError("empty file (only whitespace)")
    return decoded


def _decode_bom(data: bytes) -> Decoded | None:
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                reason = f"undecodable: broken {codec} after its BOM ({exc.reason})"
                raise ImportFileError(reason) from None
            return Decoded(text.lstrip("\ufeff"), codec.replace("-sig", ""))
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when the bytes look like BOM-less UTF-16 text, else None.

    Windows tools write UTF-16 without a BOM: for Latin, Cyrillic or Greek text every
    other byte is then 0 (the high byte of each code unit), on one side only. Binary
    data has NULs on both sides; UTF-32 has three NULs per character.
    """
    head = data[:65536]
    head = head[: len(head) - len(head) % 2]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    n = len(even)
    zeros_even, zeros_odd = even.count(0), odd.count(0)
    for codec, high, low in (("utf-16-le", zeros_odd, zeros_even),
                             ("utf-16-be", zeros_even, zeros_odd)):
        if high >= n * 0.3 and low <= n * 0.02:
            return codec
    return None


def _decode_utf16_without_bom(data: bytes) -> Decoded | None:
    codec = utf16_without_bom(data)
    if codec is None:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None  # not UTF-16 after all: the binary checks decide
    bad = sum(1 for ch in text[:32768] if ch < " " and ch not in _CONTROL_OK)
    return Decoded(text, codec) if bad <= len(text[:32768]) * 0.01 else None


def refuse_binary(data: bytes) -> None:
    """Raise ``ImportFileError`` when the bytes are a known binary format or hold NULs."""
    _refuse_binary(data)


def _refuse_binary(data: bytes) -> None:
    for magic, kind in MAGIC:
        if data.startswith(magic):
            raise ImportFileError(f"binary file ({kind})")
    if b"\x00" in data[:65536]:
        raise ImportFileError("binary file (contains NUL bytes)")


def _refuse_control_chars(text: str) -> None:
    sample = text[:65536]
    bad = sum(1 for ch in sample if ch < " " and ch not in _CONTROL_OK)
    # A stray control character happens in real text; many of them means binary data.
    if bad >= 4 and bad > len(sample) * 0.01:
        raise ImportFileError(f"binary file ({bad} control characters)")


def _decode_plain(data: bytes, declared: str | None) -> Decoded:
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if declared and declared not in ("utf-8", "utf-16", "utf-32"):
        try:
            return Decoded(data.decode(declared), declared)
        except UnicodeDecodeError:
            pass  # a wrong declaration is common; detect instead
    return _decode_legacy(data)


def _decode_legacy(data: bytes) -> Decoded:
    western = _try(data, "cp1252")
    if western is not None and looks_western(western):
        # Without bytes 0x80-0x9F, cp1252 and latin-1 read the same: name the standard one.
        has_c1 = any(0x80 <= b <= 0x9F for b in data)
        return Decoded(western, "cp1252" if has_c1 else "latin-1")
    guess = _charset_normalizer_guess(data)
    if guess is not None:
        return guess
    if western is not None:
        return Decoded(western, "cp1252")
    raise ImportFileError("undecodable: not UTF-8, and no known legacy encoding fits")


def _charset_normalizer_guess(data: bytes) -> Decoded | None:
    from charset_normalizer import from_bytes

    # Only called once a Western reading failed, so drop Western guesses, and rank the
    # code pages news files really come in above exotic ones that merely decode.
    candidates = [codecs.lookup(m.encoding).name for m in from_bytes(data)]
    candidates = [c for c in candidates if c not in _WESTERN and not c.startswith("utf")]
    candidates.sort(key=lambda c: c not in _COMMON)
    for codec in candidates:
        text = _try(data, codec)
        if text is not None:
            return Decoded(text, codec)
    return None


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def looks_western(text: str) -> bool:
    """Whether a cp1252 reading looks like Western European prose, not another code page.

    Cyrillic or Greek read as cp1252 turns nearly every letter into an accented Latin
    one; Central European (cp1250) turns letters like "ł" or "ż" into symbols ("³", "¿")
    glued between letters.
    """
    letters = nonascii = glued = 0
    n = len(text)
    for i, ch in enumerate(text):
        if ch.isalpha():
            letters += 1
            nonascii += ch > "\x7f"
        elif ch > "\x7f" and ch not in _JOINERS and 0 < i < n - 1:
            glued += text[i - 1].isalpha() and text[i + 1].isalpha()
    if letters == 0:
        return True
    return nonascii <= letters * 0.25 and glued <= max(1, letters // 100)
