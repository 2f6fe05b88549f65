"""Text normalization: what every stored document text looks like."""

from __future__ import annotations

import hashlib
import unicodedata


def normalize_text(text: str) -> str:
    """NFC, ``\\n`` newlines, no BOM, no NUL; trailing whitespace per document kept."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    return unicodedata.normalize("NFC", text)


def text_hash(text: str) -> str:
    """Stable hash of a normalized text (dedupe key, merge key)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
