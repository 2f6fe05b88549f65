"""Line-based files (JSONL, CSV) decoded line by line, so one bad byte costs one line.

A line that is not UTF-8 is reported with its number and left out; the rest of the file
is read as it is. Only when no line at all is UTF-8 beyond ASCII while some are not is
the whole file an old code-page export: it is then read with the detected codec, and the
codec is named (``LineFile.encoding``) for the summary and each document's meta. UTF-16
and UTF-32 files (with or without a BOM) cannot be split into lines as bytes; they are
decoded whole, within the file size limit. JSONL in UTF-8 is streamed: its size is not
limited, and memory stays flat.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import ImportFileError
from annotator.io import decode

SAMPLE_BYTES = 1 << 20  # bad lines kept to guess a legacy codec from
MAX_LINE = 64 << 20  # one JSONL record; longer lines are reported, not read whole


@dataclass(frozen=True, slots=True)
class LineFile:
    path: Path
    encoding: str  # "utf-8" (line by line) or the codec the whole file is read with
    whole: bool  # decoded whole (UTF-16/32): not streamed

    @property
    def legacy(self) -> bool:
        return self.encoding not in ("utf-8", "ascii")


def open_lines(path: Path) -> LineFile:
    """Look at the file once (streamed) and decide how its lines are decoded."""
    if not path.exists():
        raise ImportFileError("no such file")
    if path.is_dir():
        raise ImportFileError("is a directory")
    with open(path, "rb") as f:
        head = f.read(65536)
    if not head:
        raise ImportFileError("empty file")
    for bom, codec in decode.BOMS:
        if head.startswith(bom) and codec != "utf-8-sig":
            return LineFile(path, codec, whole=True)
    utf16 = decode.utf16_without_bom(head)
    if utf16:
        return LineFile(path, utf16, whole=True)
    decode.refuse_binary(head)
    return LineFile(path, _classify(path), whole=False)


def _classify(path: Path) -> str:
    """"utf-8", unless no line is UTF-8 beyond ASCII and some lines are not UTF-8."""
    utf8_beyond_ascii = False
    sample = bytearray()
    with open(path, "rb") as f:
        for raw in f:
            if raw.isascii():
                continue
            try:
                raw.decode("utf-8")
                utf8_beyond_ascii = True
                break
            except UnicodeDecodeError:
                if len(sample) < SAMPLE_BYTES:
                    sample += raw[:SAMPLE_BYTES]
    if utf8_beyond_ascii or not sample:
        return "utf-8"
    try:
        return decode.decode_bytes(bytes(sample)).encoding
    except ImportFileError:
        return "utf-8"  # no codec fits either: every such line is reported


def lines(lf: LineFile) -> Iterator[tuple[int, str | None, str]]:
    """``(line number, text, "")`` per line, or ``(n, None, reason)`` for an undecodable one.

    Lines are split on ``\\n`` only (JSON strings may hold raw U+2028 and friends); a
    trailing ``\\r`` is kept for the caller (CSV needs it, JSON ignores it).
    """
    if lf.whole:
        text = decode.read_text(lf.path).text
        for n, line in enumerate(text.split("\n"), start=1):
            yield n, line, ""
        return
    with open(lf.path, "rb") as f:
        for n, raw in enumerate(f, start=1):
            if n == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            if len(raw) > MAX_LINE:
                yield n, None, f"line longer than {MAX_LINE >> 20} MB; left out"
                continue
            raw = raw[:-1] if raw.endswith(b"\n") else raw
            try:
                yield n, raw.decode(lf.encoding), ""
            except UnicodeDecodeError as exc:
                yield n, None, _why(lf.encoding, raw, exc)


def _why(codec: str, raw: bytes, exc: UnicodeDecodeError) -> str:
    name = "UTF-8" if codec == "utf-8" else codec
    return (f"not {name} (byte 0x{raw[exc.start]:02x} at column {exc.start + 1});"
            " line left out")


def decoded_text(lf: LineFile) -> tuple[str, dict[int, str]]:
    """The whole file as text (CSV: records may span lines), with the undecodable lines.

    An undecodable line keeps its place (as an empty line, so line numbers hold and the
    CSV parser sees a blank line) and is returned in the ``{line: reason}`` map.
    """
    size = lf.path.stat().st_size
    if size > decode.MAX_BYTES:
        raise ImportFileError(f"file too large ({size / 1e6:.1f} MB; the limit is"
                              f" {decode.MAX_BYTES / 1e6:.0f} MB)")
    parts: list[str] = []
    bad: dict[int, str] = {}
    for n, line, reason in lines(lf):
        if line is None:
            bad[n] = reason
            line = ""
        parts.append(line)
    return "\n".join(parts), bad
