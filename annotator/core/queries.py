"""Read queries the GUI needs beyond ``Project``'s own (Qt-free; functions taking a Project)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from annotator.core.store import DocRow, Project


def doc_row(project: Project, doc_id: int) -> DocRow | None:
    """One line of the document list, to refresh a single row after an edit."""
    row = project.conn.execute(
        "SELECT d.id, d.name, d.status, "
        "(SELECT COUNT(*) FROM spans s WHERE s.doc_id = d.id AND s.layer = '') AS n, "
        "(SELECT COUNT(*) FROM spans s WHERE s.doc_id = d.id AND s.layer = '' "
        " AND s.state = 'suggested') AS ns, d.assignee "
        "FROM documents d WHERE d.id = ?",
        (doc_id,),
    ).fetchone()
    return DocRow(*row) if row else None


TITLE_KEYS = ("title", "headline", "subject")
TITLE_CHARS = 90


def doc_titles(project: Project, doc_ids: list[int]) -> dict[int, str]:
    """A readable title per document: its meta headline, else its first line of text."""
    out: dict[int, str] = {}
    for i in range(0, len(doc_ids), 900):
        part = doc_ids[i:i + 900]
        for doc_id, meta, head, name in project.conn.execute(
            "SELECT id, meta, substr(text, 1, 600), name FROM documents"
            f" WHERE id IN ({','.join('?' * len(part))})", part):
            out[doc_id] = _title(meta, head or "", name)
    return out


def _title(meta_json: str, head: str, name: str) -> str:
    try:
        meta = json.loads(meta_json or "{}")
    except ValueError:
        meta = {}
    found = next((str(meta[k]) for k in TITLE_KEYS if isinstance(meta, dict) and meta.get(k)), "")
    lines = [ln.strip() for ln in head.split("\n") if ln.strip()]
    line = found or next((ln for ln in lines if _headline_like(ln)), "") or \
        (lines[0] if lines else "") or name
    line = " ".join(line.split())
    return line if len(line) <= TITLE_CHARS else line[:TITLE_CHARS - 1].rstrip() + "…"


def _headline_like(line: str) -> bool:
    """Four words or more, mostly words (not a URL, a date line, a bullet or a banner)."""
    tokens = line.split()
    words = [t for t in tokens if t.strip(",.:;'\"‘’“”()").isalpha()]
    return len(words) >= 4 and len(words) >= 0.7 * len(tokens) and "://" not in line


@dataclass(frozen=True, slots=True)
class Match:
    doc_id: int
    doc_name: str
    start: int  # code points
    end: int
    context: str  # the line around the match, for the results list


def compile_query(query: str, *, regex: bool, case: bool = False) -> re.Pattern[str]:
    """The search pattern; raises re.error on a bad regular expression."""
    flags = 0 if case else re.IGNORECASE
    return re.compile(query if regex else re.escape(query), flags)


def find_in_text(
    pattern: re.Pattern[str], text: str, *, doc_id: int = 0, doc_name: str = "", limit: int = 10_000
) -> list[Match]:
    out: list[Match] = []
    for m in pattern.finditer(text):
        if m.end() == m.start():
            continue  # an empty match is no span
        out.append(Match(doc_id, doc_name, m.start(), m.end(), _context(text, m.start(), m.end())))
        if len(out) >= limit:
            break
    return out


def find_in_project(
    project: Project, pattern: re.Pattern[str], *, limit: int = 2_000
) -> Iterator[Match]:
    """Matches over every document in id order, streaming (stops after ``limit``)."""
    n = 0
    for doc in project.iter_documents():
        for m in find_in_text(
            pattern, doc.text or "", doc_id=doc.id, doc_name=doc.name, limit=limit - n
        ):
            yield m
            n += 1
        if n >= limit:
            return


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width) : start].rsplit("\n", 1)[-1]
    right = text[end : end + width].split("\n", 1)[0]
    return f"{left}[{text[start:end]}]{right}"
