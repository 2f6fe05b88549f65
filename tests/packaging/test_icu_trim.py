"""packaging/icu_trim.py: the trimmed ICU data library still serves Qt, and bad input is left alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import icu_trim
import pytest

QT_LIB = Path(sys.prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / \
    "site-packages" / "PySide6" / "Qt" / "lib"
ICU = sorted(QT_LIB.glob("libicudata.so.*"))
linux_icu = pytest.mark.skipif(not sys.platform.startswith("linux") or not ICU,
                               reason="PySide6 bundles ICU on Linux only")


@pytest.mark.parametrize("name,kept", [
    ("icudt73l/uprops.icu", True),
    ("icudt73l/nfkc.nrm", True),
    ("icudt73l/coll/ucadata.icu", True),
    ("icudt73l/root.res", True),
    ("icudt73l/pool.res", True),
    ("icudt73l/res_index.res", True),
    ("icudt73l/curr/res_index.res", True),
    ("icudt73l/supplementalData.res", True),
    ("icudt73l/zoneinfo64.res", True),
    ("icudt73l/en.res", True),
    ("icudt73l/en_US_POSIX.res", True),
    ("icudt73l/zone/en_GB.res", True),
    ("icudt73l/brkitr/word.brk", True),
    ("icudt73l/fr.res", False),
    ("icudt73l/coll/sv.res", False),
    ("icudt73l/zone/yue_Hant_HK.res", False),
    ("icudt73l/curr/es_419.res", False),
    ("icudt73l/brkitr/cjdict.dict", False),
    ("icudt73l/translit/root.res", False),
])
def test_keep_rules(name, kept):
    assert icu_trim.keep_item(name) is kept


@linux_icu
def test_package_round_trips_its_items(tmp_path):
    raw = ICU[0].read_bytes()
    elf = icu_trim._read_elf(bytearray(raw))
    _, idx, _ = icu_trim._data_symbol(elf)
    sec = elf.shdrs[idx]
    pkg = icu_trim.read_package(raw[sec[4]:sec[4] + sec[5]])
    again = icu_trim.read_package(icu_trim.write_package(pkg))
    assert [n for n, _ in again.items] == [n for n, _ in pkg.items]
    # Items keep their bytes (the old padding is part of each item; ICU ignores it).
    assert all(a[1].startswith(b[1].rstrip(b"\0")) for a, b in zip(again.items, pkg.items, strict=True))
    assert len(pkg.items) > 3000


QT_SCRIPT = """
from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone
assert QCollator(QLocale("en_US")).compare("apple", "Banana") < 0
assert QLocale("de_DE").toUpper("straße") == "STRASSE"
assert QLocale("tr_TR").toUpper("i") == "\\u0130"
assert QTimeZone(b"Europe/Berlin").isValid()
print(QStringDecoder("windows-1252").isValid(), QStringDecoder("Shift_JIS").isValid())
"""


@linux_icu
def test_trimmed_library_serves_qt(tmp_path):
    out = tmp_path / ICU[0].name
    before, after, old, new = icu_trim.trim_library(ICU[0], out)
    assert after < before / 4 and len(new.items) < len(old.items) / 2
    env = {**os.environ, "LD_PRELOAD": str(out), "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run([sys.executable, "-c", QT_SCRIPT], env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    # Single-byte code pages stay; Shift_JIS is gone, which proves the trimmed data was used.
    assert r.stdout.split() == ["True", "False"]


@linux_icu
def test_other_libraries_are_left_untouched(tmp_path):
    core = next(QT_LIB.glob("libQt6Core.so.*"))
    copy = tmp_path / core.name
    copy.write_bytes(core.read_bytes())
    with pytest.raises(icu_trim.TrimError):
        icu_trim.trim_library(copy)
    assert copy.read_bytes() == core.read_bytes()


def test_not_icu_data_is_refused():
    with pytest.raises(icu_trim.TrimError):
        icu_trim.read_package(b"\0" * 64)
