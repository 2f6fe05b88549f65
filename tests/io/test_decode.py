"""Decoding imported files: BOMs, legacy code pages, and refusing what is not text."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from annotator.core.errors import ImportFileError
from annotator.io import decode
from annotator.io.decode import declared_charset, decode_bytes, looks_western, read_bytes
from tests.io.samples import png_bytes

WESTERN = "The minister said “we will not negotiate” — José María, café €5."


def test_utf8_plain() -> None:
    d = decode_bytes("Guaidó in Caracas".encode())
    assert (d.text, d.encoding) == ("Guaidó in Caracas", "utf-8")


def test_utf8_bom_is_removed() -> None:
    d = decode_bytes(codecs.BOM_UTF8 + b"Maduro")
    assert (d.text, d.encoding) == ("Maduro", "utf-8")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    d = decode_bytes(bom + "Caracas \u2014 Moscú".encode(codec))
    assert (d.text, d.encoding) == ("Caracas \u2014 Moscú", "utf-16")


def test_cp1252_curly_quotes_and_accents() -> None:
    d = decode_bytes(WESTERN.encode("cp1252"))
    assert d.text == WESTERN
    assert d.encoding == "cp1252"


def test_short_cp1252_is_not_mistaken_for_utf16() -> None:
    # charset-normalizer alone calls these 6 bytes UTF-16.
    d = decode_bytes("\u201cCaf\u00e9\u201d".encode("cp1252"))
    assert d.text == "\u201cCaf\u00e9\u201d"


def test_latin1_without_c1_bytes() -> None:
    text = "S\u00e3o Paulo and Bogot\u00e1 said the caf\u00e9 was closed."
    d = decode_bytes(text.encode("latin-1"))
    assert d.text == text
    assert d.encoding == "latin-1"


@pytest.mark.parametrize("text, codec", [
    ("Москва отправила войска в Венесуэлу.", "cp1251"),
    ("Prezydent powiedział, że żółw nie pływa w rzece.", "cp1250"),
])
def test_other_code_pages_are_detected(text: str, codec: str) -> None:
    assert decode_bytes(text.encode(codec)).text == text


def test_looks_western() -> None:
    assert looks_western(WESTERN)
    assert not looks_western("\u041c\u043e\u0441".encode("cp1251").decode("cp1252") * 5)


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"  \n\t\r\n ", "empty file (only whitespace)"),
    (codecs.BOM_UTF8 + b"\n\n", "empty file (only whitespace)"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary file (PDF document)"),
    (b"PK\x03\x04\x14\x00\x00\x00", "binary file (ZIP archive or Office document)"),
    (b"GIF89a\x01\x00\x01\x00", "binary file (GIF image)"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary file (JPEG image)"),
    (b"text\x00with a NUL", "binary file (contains NUL bytes)"),
    (b"a\x01b\x02c\x03d\x04e\x05f\x06", "binary file (6 control characters)"),
])
def test_refused(data: bytes, reason: str) -> None:
    with pytest.raises(ImportFileError) as exc:
        decode_bytes(data)
    assert str(exc.value) == reason


def test_png_is_refused_by_its_magic_number() -> None:
    with pytest.raises(ImportFileError, match=r"^binary file \(PNG image\)$"):
        decode_bytes(png_bytes())


def test_a_stray_control_character_is_tolerated() -> None:
    assert decode_bytes(b"Old DOS file\r\nends here\x1a").text.startswith("Old DOS")


def test_undecodable(monkeypatch: pytest.MonkeyPatch) -> None:
    # Bytes undefined in cp1252 and invalid as UTF-8, with no other code page guessed.
    monkeypatch.setattr(decode, "_charset_normalizer_guess", lambda data: None)
    with pytest.raises(ImportFileError, match=r"^undecodable: not UTF-8, and no known legacy"):
        decode_bytes(b"abc \x81\x8d\x8f\x90\x9d def")


def test_western_guesses_are_not_taken_after_the_western_check_failed() -> None:
    # charset-normalizer ranks cp1252 first for this Polish cp1250 text.
    text = "Prezydent powiedzia\u0142, \u017ce \u017c\u00f3\u0142w nie p\u0142ywa w rzece."
    assert decode._charset_normalizer_guess(text.encode("cp1250")) == decode.Decoded(text, "cp1250")


def test_broken_utf16_after_bom() -> None:
    with pytest.raises(ImportFileError, match="undecodable: broken utf-16"):
        decode_bytes(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8")


def test_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_bytes(b"x" * 2_000_000)
    with pytest.raises(ImportFileError, match=r"file too large \(2\.0 MB; the limit is 1 MB\)"):
        read_bytes(f, limit=1_000_000)
    assert read_bytes(f, limit=3_000_000)[:1] == b"x"


@pytest.mark.parametrize("head, expected", [
    (b'<html><head><meta charset="windows-1251"></head>', "cp1251"),
    (b"<meta http-equiv='Content-Type' content='text/html; charset=ISO-8859-1'>", "cp1252"),
    (b'<?xml version="1.0" encoding="koi8-r"?><html>', "koi8-r"),
    (b"<meta charset=utf-8>", "utf-8"),
    (b"<meta charset=bogus-charset>", None),
    (b"<p>no declaration</p>", None),
])
def test_declared_charset(head: bytes, expected: str | None) -> None:
    assert declared_charset(head) == expected


def test_declared_charset_wins_over_detection() -> None:
    text = "<meta charset=koi8-r><p>\u041c\u043e\u0441\u043a\u0432\u0430</p>"
    data = text.encode("koi8-r")
    d = decode_bytes(data, declared=declared_charset(data))
    assert (d.text, d.encoding) == (text, "koi8-r")
