"""Trim the ICU data library PySide6 ships on Linux (libicudata.so.73: 32 MB) to what Qt uses.

    python packaging/icu_trim.py LIBICUDATA [--out FILE] [--list]

Qt's wheel for Linux bundles ICU because QtCore links it: collation (QCollator),
locale-aware case mapping, time zones and the legacy text codecs. The data library is
one symbol, ``icudtNN_dat``: an ICU "common data" package of ~3,900 items, most of
them per-locale display data (names of currencies, languages, regions, units and
zones in 700 locales), collation tailorings, dictionaries for CJK/Thai/Lao/Khmer/
Burmese word breaking, transliterators and 200+ legacy code-page converters.

An English-only desktop app that decodes its input in Python needs none of that, so
this keeps every core table (Unicode properties, normalisation, case mapping, the
root collation, break rules, time zones, supplemental and likely-subtags data) and
the root and English locales, and drops the rest (`keep_item` says exactly what).
Any other locale then falls back to root, as ICU does for a locale it lacks (e.g.
Swedish sorting becomes root sorting, French zone names English); a multi-byte
legacy code page (Shift_JIS, GB18030, Big5...) Qt asks ICU for is reported as unknown.

The library itself is rewritten in place of the original: the trimmed package where
the old one was, the dynamic section moved down after it, same soname and symbol,
nothing to compile. The layout is checked first; anything unexpected leaves the file
untouched (``TrimError``) so a future PySide6 cannot be broken silently.
"""

from __future__ import annotations

import argparse
import re
import struct
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ALIGN = 16  # ICU aligns every item of a common data package to 16 bytes
PAGE = 0x1000

# Locale-specific resource bundles: "fr", "ff_Adlm", "yue_Hant_HK", "es_419", "en_US_POSIX".
_LOCALE = re.compile(r"^[a-z]{2,3}(?:_[A-Za-z0-9]+)*$")
_NOT_LOCALES = {"res_index", "root", "pool"}  # per-tree index, fallback and shared strings
_ENGLISH = re.compile(r"^en(?:_[A-Za-z0-9]+)*$")
# Whole trees nothing in Qt reaches: transliterators (Transliterator API only).
_DROP_TREES = {"translit"}


def keep_item(name: str, data: bytes = b"") -> bool:
    """Whether an item (``icudt73l/coll/fr.res`` style name, its bytes) stays in the package."""
    parts = name.split("/")[1:] if "/" in name else [name]
    if len(parts) > 1 and parts[0] in _DROP_TREES:
        return False
    leaf = parts[-1]
    stem, _, ext = leaf.rpartition(".")
    if ext == "cnv":  # legacy code pages: single-byte ones (windows-125x, ISO-8859-x, KOI8,
        return _max_bytes_per_char(data) == 1  # ...: 140 tables, 0.4 MB) stay, CJK/DBCS go
    if ext == "dict":  # word-break dictionaries for scripts without spaces
        return False
    if ext == "res" and stem not in _NOT_LOCALES and _LOCALE.match(stem):
        return bool(_ENGLISH.match(stem))
    return True


def _max_bytes_per_char(cnv: bytes) -> int:
    """``UConverterStaticData.maxBytesPerChar`` of a .cnv item (0 if unreadable).

    After the item's own data header: structSize (4), name (60), codepage (4),
    platform, conversionType, minBytesPerChar (1 each), maxBytesPerChar.
    """
    if len(cnv) < 4:
        return 0
    at = struct.unpack_from("<H", cnv, 0)[0] + 4 + 60 + 4 + 3
    return cnv[at] if at < len(cnv) else 0


# ---- the common data package -----------------------------------------------------------------
@dataclass
class Package:
    header: bytes  # MappedData + UDataInfo, padded (its own length is in its first u16)
    items: list[tuple[str, bytes]]  # sorted by name, as ICU's binary search expects


class TrimError(Exception):
    """The file is not laid out as this tool expects; nothing was written."""


def read_package(blob: bytes) -> Package:
    if len(blob) < 32 or blob[2:4] != b"\xda\x27" or blob[12:16] != b"CmnD":
        raise TrimError("not an ICU common data package (no CmnD header)")
    if blob[8] != 0:  # UDataInfo.isBigEndian
        raise TrimError("big-endian ICU data is not handled")
    header_size = struct.unpack_from("<H", blob, 0)[0]
    count = struct.unpack_from("<I", blob, header_size)[0]
    entries = [struct.unpack_from("<II", blob, header_size + 4 + 8 * i) for i in range(count)]
    starts = [header_size + data for _, data in entries] + [len(blob)]
    if starts != sorted(starts):
        raise TrimError("items are not stored in name order")
    items = []
    for i, (name_off, _data_off) in enumerate(entries):
        at = header_size + name_off
        name = blob[at:blob.index(b"\0", at)].decode("ascii")
        items.append((name, blob[starts[i]:starts[i + 1]]))
    return Package(blob[:header_size], items)


def write_package(pkg: Package) -> bytes:
    """The same format: header, TOC (count, name and data offsets), names, aligned items."""
    n = len(pkg.items)
    base = len(pkg.header)
    names = b""
    name_offsets = []
    for name, _ in pkg.items:
        name_offsets.append(4 + 8 * n + len(names))
        names += name.encode("ascii") + b"\0"
    body = bytearray()
    data_offsets = []
    pos = base + 4 + 8 * n + len(names)
    pad = -pos % ALIGN
    names += b"\0" * pad  # ICU pads the name table with zeros too
    pos += pad
    for _, data in pkg.items:
        data_offsets.append(pos - base + len(body))
        body += data
        body += b"\0" * (-len(body) % ALIGN)
    toc = struct.pack("<I", n) + b"".join(
        struct.pack("<II", no, do) for no, do in zip(name_offsets, data_offsets, strict=True))
    return pkg.header + toc + names + bytes(body)


def trim_package(blob: bytes, keep: Callable[[str, bytes], bool] = keep_item,
                 ) -> tuple[bytes, Package, Package]:
    old = read_package(blob)
    new = Package(old.header, [(n, d) for n, d in old.items if keep(n, d)])
    return write_package(new), old, new


# ---- the ELF shared object around it ---------------------------------------------------------
_EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
_PHDR = struct.Struct("<IIQQQQQQ")
_SHDR = struct.Struct("<IIQQQQIIQQ")
_SYM = struct.Struct("<IBBHQQ")
PT_LOAD, PT_DYNAMIC, PT_GNU_RELRO = 1, 2, 0x6474E552
SHT_DYNSYM = 11


@dataclass
class Elf:
    raw: bytearray
    ehdr: list
    phdrs: list[list]
    shdrs: list[list]


def _read_elf(raw: bytearray) -> Elf:
    if raw[:4] != b"\x7fELF" or raw[4] != 2 or raw[5] != 1:
        raise TrimError("not a little-endian 64-bit ELF file")
    ehdr = list(_EHDR.unpack_from(raw, 0))
    phoff, shoff, phnum, shnum = ehdr[5], ehdr[6], ehdr[10], ehdr[12]
    phdrs = [list(_PHDR.unpack_from(raw, phoff + i * _PHDR.size)) for i in range(phnum)]
    shdrs = [list(_SHDR.unpack_from(raw, shoff + i * _SHDR.size)) for i in range(shnum)]
    return Elf(raw, ehdr, phdrs, shdrs)


def _data_symbol(elf: Elf) -> tuple[int, int, int]:
    """(offset of the symbol's st_size field, section index, symbol size) of icudtNN_dat."""
    dynsym = next((s for s in elf.shdrs if s[1] == SHT_DYNSYM), None)
    if dynsym is None:
        raise TrimError("no dynamic symbol table")
    dynstr = elf.shdrs[dynsym[6]]
    found = []
    for at in range(dynsym[4], dynsym[4] + dynsym[5], _SYM.size):
        st_name, _info, _other, shndx, value, size = _SYM.unpack_from(elf.raw, at)
        name_at = dynstr[4] + st_name
        name = elf.raw[name_at:elf.raw.index(b"\0", name_at)].decode("ascii")
        if re.fullmatch(r"icudt\d+_dat", name):
            found.append((at + 16, shndx, value, size))
    if len(found) != 1:
        raise TrimError("expected exactly one icudtNN_dat symbol")
    size_field, shndx, value, size = found[0]
    sec = elf.shdrs[shndx]
    if value != sec[3] or size != sec[5]:
        raise TrimError("the data symbol is not the whole of its section")
    return size_field, shndx, size


def trim_library(src: Path, dst: Path | None = None,
                 keep: Callable[[str, bytes], bool] = keep_item) -> tuple[int, int, Package, Package]:
    """Rewrite ``src`` (to ``dst``, default in place) with a trimmed package.

    Returns (old file size, new file size, old package, new package). Expects the
    layout of ICU's data library as built by Qt: one read-only LOAD segment ending with
    the section that is the data symbol, then one small RW segment (.dynamic), then
    only non-loaded sections and the section headers. Raises TrimError otherwise.
    """
    raw = bytearray(src.read_bytes())
    elf = _read_elf(raw)
    size_field, data_idx, old_size = _data_symbol(elf)
    data_sec = elf.shdrs[data_idx]
    data_off, data_end = data_sec[4], data_sec[4] + data_sec[5]
    loads = [p for p in elf.phdrs if p[0] == PT_LOAD]
    if len(loads) != 2 or loads[0][2] != 0 or loads[0][5] != data_end or loads[0][6] != data_end:
        raise TrimError("unexpected segments: the data is not the end of the first LOAD")
    rw = loads[1]
    tail_start = rw[2]  # everything from here on moves down
    if tail_start < data_end or any(
            data_off < s[4] < tail_start and s[5] for i, s in enumerate(elf.shdrs) if i != data_idx):
        raise TrimError("something other than the data lies between the data and .dynamic")

    new_blob, old_pkg, new_pkg = trim_package(bytes(raw[data_off:data_end]), keep)
    new_end = data_off + len(new_blob)
    # Keep offset == vaddr (mod page) for the moved segment, as the loader requires.
    shift = (tail_start - new_end) // PAGE * PAGE
    if shift <= 0:
        if dst is not None:  # nothing to gain: a copy, never a bigger file
            dst.write_bytes(raw)
        return len(raw), len(raw), old_pkg, old_pkg

    out = bytearray(raw[:data_off]) + new_blob
    out += b"\0" * (tail_start - shift - len(out))
    out += raw[tail_start:]

    for ph in elf.phdrs:
        if ph is loads[0]:
            ph[5] = ph[6] = new_end
        elif ph[0] in (PT_LOAD, PT_DYNAMIC, PT_GNU_RELRO) and ph[2] >= tail_start:
            ph[2] -= shift
            ph[3] -= shift  # vaddr and paddr move with the file offset: no relocations refer to them
            ph[4] -= shift
    for i, sh in enumerate(elf.shdrs):
        if i == data_idx:
            sh[5] = len(new_blob)
        elif sh[4] >= tail_start:  # .dynamic, .shstrtab: down by whole pages
            sh[4] -= shift
            if sh[3]:
                sh[3] -= shift
        elif sh[4] >= data_end:  # empty sections right after the data (.eh_frame)
            sh[4] = new_end
            if sh[3]:
                sh[3] = new_end
    if elf.ehdr[6] >= tail_start:  # e_shoff
        elf.ehdr[6] -= shift
    _EHDR.pack_into(out, 0, *elf.ehdr)
    for i, ph in enumerate(elf.phdrs):
        _PHDR.pack_into(out, elf.ehdr[5] + i * _PHDR.size, *ph)
    for i, sh in enumerate(elf.shdrs):
        _SHDR.pack_into(out, elf.ehdr[6] + i * _SHDR.size, *sh)
    struct.pack_into("<Q", out, size_field, len(new_blob))
    _check_dynamic(out, elf, new_end)
    (dst or src).write_bytes(bytes(out))
    return len(raw), len(out), old_pkg, new_pkg


def _check_dynamic(out: bytearray, elf: Elf, new_end: int) -> None:
    """The dynamic entries that hold addresses (hash, symbols, strings) must lie below
    the end of the new data: nothing the loader reads was moved or cut."""
    dyn = next(p for p in elf.phdrs if p[0] == PT_DYNAMIC)  # already at its new offset
    for at in range(dyn[2], dyn[2] + dyn[5], 16):
        tag, val = struct.unpack_from("<qQ", out, at)
        if tag == 0:
            break
        if tag in (4, 5, 6, 0x6FFFFEF5) and val >= new_end:  # HASH, STRTAB, SYMTAB, GNU_HASH
            raise TrimError(f"dynamic entry {tag:#x} points into what was moved")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("library", type=Path)
    ap.add_argument("--out", type=Path, help="write here instead of in place")
    ap.add_argument("--list", action="store_true", help="list what is kept, with sizes")
    args = ap.parse_args()
    try:
        before, after, old, new = trim_library(args.library, args.out)
    except (TrimError, OSError) as exc:
        print(f"icu_trim: {args.library}: {exc}; left as it is")
        return 1
    if args.list:
        for name, data in new.items:
            print(f"{len(data):9d}  {name}")
    print(f"icu_trim: {len(old.items)} -> {len(new.items)} items,"
          f" {before / 2**20:.1f} -> {after / 2**20:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
