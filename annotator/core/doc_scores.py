"""Per-document uncertainty scores (table ``doc_scores``): written by a scoring run, read by the
document list's "most uncertain first" order. Higher is less sure; unscored documents last."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from annotator.core.store import DocRow, Project, now

_ROW = ("SELECT d.id, d.name, d.status, "
        "(SELECT COUNT(*) FROM spans s WHERE s.doc_id = d.id AND s.layer = '') AS n, "
        "(SELECT COUNT(*) FROM spans s WHERE s.doc_id = d.id AND s.layer = '' "
        " AND s.state = 'suggested') AS ns, d.assignee, sc.score "
        "FROM documents d LEFT JOIN doc_scores sc ON sc.doc_id = d.id")


def set_scores(project: Project, scores: Iterable[tuple[int, float]], *, model: str) -> int:
    """Store (doc_id, score) pairs in one transaction, replacing older scores."""
    ts = now()
    rows = [(doc_id, float(score), model, ts) for doc_id, score in scores]
    with project.db.atomic():
        project.conn.executemany(
            "INSERT INTO doc_scores (doc_id, score, model, scored_at) VALUES (?,?,?,?)"
            " ON CONFLICT (doc_id) DO UPDATE SET score=excluded.score, model=excluded.model,"
            " scored_at=excluded.scored_at", rows)
    return len(rows)


def score_of(project: Project, doc_id: int) -> float | None:
    row = project.conn.execute("SELECT score FROM doc_scores WHERE doc_id = ?", (doc_id,)).fetchone()
    return row[0] if row else None


def list_by_uncertainty(project: Project, *, status: str | Sequence[str] | None = None,
                        offset: int = 0, limit: int = 200) -> list[tuple[DocRow, float | None]]:
    """A page of the document list, most uncertain first (unscored ones after, by id)."""
    where, args = "", ()
    if status is not None:
        args = (status,) if isinstance(status, str) else tuple(status)
        where = f" AND d.status IN ({','.join('?' * len(args))})"
    rows = project.conn.execute(
        f"{_ROW} WHERE 1=1 {where}"
        " ORDER BY sc.score IS NULL, sc.score DESC, d.id LIMIT ? OFFSET ?",
        (*args, limit, offset)).fetchall()
    return [(DocRow(*r[:6]), r[6]) for r in rows]
