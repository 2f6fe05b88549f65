"""Database schema versions. Append a step to add a version; never edit a shipped one."""

from __future__ import annotations

APPLICATION_ID = 0x47454F41  # "GEOA": marks a file as ours

V1 = """
CREATE TABLE project_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    source_path TEXT,
    text_hash   TEXT NOT NULL UNIQUE,
    status      TEXT NOT NULL DEFAULT 'todo'
                CHECK (status IN ('todo', 'in_progress', 'done', 'skipped')),
    assignee    TEXT,
    meta        TEXT NOT NULL DEFAULT '{}',
    n_chars     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    text        TEXT NOT NULL,
    tokens      BLOB
);
CREATE INDEX documents_status ON documents (status, id);
CREATE TABLE spans (
    id         INTEGER PRIMARY KEY,
    doc_id     INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    label      TEXT NOT NULL,
    source     TEXT NOT NULL DEFAULT 'human' CHECK (source IN ('model', 'rule', 'human')),
    state      TEXT NOT NULL DEFAULT 'accepted' CHECK (state IN ('suggested', 'accepted')),
    annotator  TEXT NOT NULL DEFAULT '',
    layer      TEXT NOT NULL DEFAULT '',
    attrs      TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (start >= 0 AND end > start)
);
CREATE INDEX spans_doc ON spans (doc_id, layer, start);
CREATE TABLE relations (
    id         INTEGER PRIMARY KEY,
    doc_id     INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    head_id    INTEGER NOT NULL REFERENCES spans (id) ON DELETE CASCADE,
    child_id   INTEGER NOT NULL REFERENCES spans (id) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    attrs      TEXT NOT NULL DEFAULT '{}',
    annotator  TEXT NOT NULL DEFAULT '',
    layer      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (head_id != child_id)
);
CREATE INDEX relations_doc ON relations (doc_id, layer);
CREATE INDEX relations_head ON relations (head_id);
CREATE INDEX relations_child ON relations (child_id);
CREATE TABLE edit_log (
    id        INTEGER PRIMARY KEY,
    ts        TEXT NOT NULL,
    annotator TEXT NOT NULL,
    doc_id    INTEGER,
    op        TEXT NOT NULL,
    forward   TEXT NOT NULL,
    inverse   TEXT
);
CREATE INDEX edit_log_doc ON edit_log (doc_id, id);
CREATE TABLE patterns (
    text      TEXT NOT NULL,
    label     TEXT NOT NULL,
    count     INTEGER NOT NULL DEFAULT 1,
    annotator TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (text, label)
);
"""

# History: undo/redo read the log back (core/history.py); bulk work is a run whose rows carry
# its id, and the rows a run deleted (or an undo took away) are parked, not lost.
V2 = """
ALTER TABLE edit_log ADD COLUMN state TEXT NOT NULL DEFAULT 'done'
    CHECK (state IN ('done', 'undone', 'dropped', 'obsolete'));
ALTER TABLE edit_log ADD COLUMN summary TEXT NOT NULL DEFAULT '';
ALTER TABLE edit_log ADD COLUMN redo TEXT;
ALTER TABLE edit_log ADD COLUMN run_id TEXT;
CREATE INDEX edit_log_who ON edit_log (annotator, state, id);
CREATE UNIQUE INDEX edit_log_run ON edit_log (run_id) WHERE run_id IS NOT NULL;
ALTER TABLE spans ADD COLUMN run_id TEXT NOT NULL DEFAULT '';
ALTER TABLE spans ADD COLUMN restored_by TEXT NOT NULL DEFAULT '';
CREATE INDEX spans_run ON spans (run_id) WHERE run_id != '';
CREATE INDEX spans_restored ON spans (restored_by) WHERE restored_by != '';
ALTER TABLE relations ADD COLUMN run_id TEXT NOT NULL DEFAULT '';
CREATE INDEX relations_run ON relations (run_id) WHERE run_id != '';
CREATE TABLE parked_spans (
    park_run TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('added', 'removed')),
    id INTEGER NOT NULL, doc_id INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    label TEXT NOT NULL, source TEXT NOT NULL, state TEXT NOT NULL, annotator TEXT NOT NULL,
    layer TEXT NOT NULL, attrs TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    run_id TEXT NOT NULL, restored_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX parked_spans_run ON parked_spans (park_run, role);
CREATE TABLE parked_relations (
    park_run TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('added', 'removed')),
    id INTEGER NOT NULL, doc_id INTEGER NOT NULL, head_id INTEGER NOT NULL,
    child_id INTEGER NOT NULL, label TEXT NOT NULL, attrs TEXT NOT NULL, annotator TEXT NOT NULL,
    layer TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, run_id TEXT NOT NULL
);
CREATE INDEX parked_relations_run ON parked_relations (park_run, role);
"""
# Relation suggestions: relations get a state and a source like spans (existing rows stay
# gold: accepted/human), (their run id came with V2), and the
# suggestions a human rejected, kept by position and by text so no run makes them again.
V3 = """
ALTER TABLE relations ADD COLUMN state TEXT NOT NULL DEFAULT 'accepted'
    CHECK (state IN ('suggested', 'accepted'));
ALTER TABLE relations ADD COLUMN source TEXT NOT NULL DEFAULT 'human'
    CHECK (source IN ('model', 'rule', 'memory', 'human'));
ALTER TABLE parked_relations ADD COLUMN state TEXT NOT NULL DEFAULT 'accepted';
ALTER TABLE parked_relations ADD COLUMN source TEXT NOT NULL DEFAULT 'human';
CREATE TABLE rejected_relations (
    id          INTEGER PRIMARY KEY,
    doc_id      INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    head_start  INTEGER NOT NULL,
    head_end    INTEGER NOT NULL,
    child_start INTEGER NOT NULL,
    child_end   INTEGER NOT NULL,
    label       TEXT NOT NULL,
    head_text   TEXT NOT NULL DEFAULT '',
    child_text  TEXT NOT NULL DEFAULT '',
    trigger     TEXT NOT NULL DEFAULT '',
    annotator   TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX rejected_relations_doc ON rejected_relations (doc_id);
CREATE INDEX rejected_relations_text ON rejected_relations (head_text, child_text, label)
"""

# The model's uncertainty per unfinished document (annotator.nlp.train.uncertainty), for
# the "most uncertain first" order of the document list.
V4 = """
CREATE TABLE doc_scores (
    doc_id    INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    score     REAL NOT NULL,
    model     TEXT NOT NULL DEFAULT '',
    scored_at TEXT NOT NULL
);
CREATE INDEX doc_scores_score ON doc_scores (score DESC, doc_id);
"""

# Canonical actors: an actor per real-world entity, a link per entity span.
# A link is suggested by the linker (with its reason), accepted by a human, or rejected
# (kept, so a re-run does not suggest it again). Deleting a span deletes its link; the
# trigger parks it, and undoing the delete (RestoreSpans, same id, document and offsets)
# puts it back (core.actors.restore_parked_links), so undo never loses an actor link.
# No INSERT trigger: one would cost ~3 us per row on every bulk insert of spans.
V5 = """
CREATE TABLE actors (
    id          INTEGER PRIMARY KEY,
    kb_id       TEXT UNIQUE,
    name        TEXT NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT '',
    registry_id TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX actors_registry ON actors (registry_id);
CREATE TABLE span_actor (
    span_id    INTEGER PRIMARY KEY REFERENCES spans (id) ON DELETE CASCADE,
    actor_id   INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    state      TEXT NOT NULL DEFAULT 'suggested'
               CHECK (state IN ('suggested', 'accepted', 'rejected')),
    reason     TEXT NOT NULL DEFAULT '',
    annotator  TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
CREATE INDEX span_actor_actor ON span_actor (actor_id);
CREATE TABLE span_actor_parked (
    span_id    INTEGER PRIMARY KEY,
    doc_id     INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    actor_id   INTEGER NOT NULL,
    state      TEXT NOT NULL,
    reason     TEXT NOT NULL,
    annotator  TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TRIGGER span_actor_park BEFORE DELETE ON spans
WHEN EXISTS (SELECT 1 FROM span_actor WHERE span_id = OLD.id)
BEGIN
    INSERT OR REPLACE INTO span_actor_parked
    SELECT OLD.id, OLD.doc_id, OLD.start, OLD.end, actor_id, state, reason, annotator, updated_at
    FROM span_actor WHERE span_id = OLD.id;
END
"""

# Project memory follows the gold spans (core/memory.py): a span accepted in bulk by finishing
# a document, unseen, is marked review='bulk' (it teaches nothing; exports tell it apart), and
# a forgotten memory entry hides the decisions made on its text up to when it was forgotten.
# Parked spans (history) keep the mark, so a run's undo/redo gives it back.
V6 = """
ALTER TABLE spans ADD COLUMN review TEXT NOT NULL DEFAULT '';
ALTER TABLE parked_spans ADD COLUMN review TEXT NOT NULL DEFAULT '';
CREATE TABLE memory_forgotten (
    text      TEXT PRIMARY KEY,
    ts        TEXT NOT NULL,
    annotator TEXT NOT NULL DEFAULT ''
);
"""

# Linking is a run like pre-annotation: the links and the actors a link run (alone, or the
# linking step of a pre-annotation) writes carry its run id, so undoing the run takes back
# the links that are still suggestions and the actors nothing points at any more; they are
# parked, not lost, so redo puts them back. A parked span's link keeps its run id too.
# Relations an undo brought back are marked restored_by the run, as spans are, so the run's
# redo replaces them again instead of keeping both. Actor ids are never handed out twice from
# now on (core.actors.new_actor_id), nor span ids (core.db.next_span_ids); each sequence
# starts above every id the history names.
V7 = """
ALTER TABLE span_actor ADD COLUMN run_id TEXT NOT NULL DEFAULT '';
CREATE INDEX span_actor_run ON span_actor (run_id) WHERE run_id != '';
ALTER TABLE actors ADD COLUMN run_id TEXT NOT NULL DEFAULT '';
CREATE INDEX actors_run ON actors (run_id) WHERE run_id != '';
ALTER TABLE span_actor_parked ADD COLUMN run_id TEXT NOT NULL DEFAULT '';
CREATE TABLE parked_links (
    park_run TEXT NOT NULL, span_id INTEGER NOT NULL, actor_id INTEGER NOT NULL,
    state TEXT NOT NULL, reason TEXT NOT NULL, annotator TEXT NOT NULL,
    updated_at TEXT NOT NULL, run_id TEXT NOT NULL,
    doc_id INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL
);
CREATE INDEX span_actor_parked_actor ON span_actor_parked (actor_id);
CREATE INDEX parked_spans_id ON parked_spans (id);
CREATE INDEX actors_name ON actors (name, label);
INSERT OR REPLACE INTO project_meta (key, value)
SELECT 'span_seq', CAST(MAX(m) AS TEXT) FROM (
    SELECT MAX(id) AS m FROM spans
    UNION ALL SELECT MAX(id) FROM parked_spans
    UNION ALL SELECT MAX(CAST(json_extract(j.value, '$.id') AS INTEGER))
        FROM edit_log e, json_each(e.inverse, '$.spans') j
        WHERE e.inverse LIKE '%"spans"%' AND json_valid(e.inverse)
    UNION ALL SELECT MAX(CAST(json_extract(j.value, '$.id') AS INTEGER))
        FROM edit_log e, json_each(e.redo, '$.spans') j
        WHERE e.redo LIKE '%"spans"%' AND json_valid(e.redo)
) HAVING MAX(m) IS NOT NULL;
INSERT OR REPLACE INTO project_meta (key, value)
SELECT 'actor_seq', CAST(MAX(m) AS TEXT) FROM (
    SELECT MAX(id) AS m FROM actors
    UNION ALL SELECT MAX(CAST(j.key AS INTEGER)) FROM edit_log e, json_each(e.inverse, '$.actors') j
        WHERE e.inverse LIKE '%"actors"%' AND json_valid(e.inverse)
    UNION ALL SELECT MAX(CAST(j.key AS INTEGER)) FROM edit_log e, json_each(e.redo, '$.actors') j
        WHERE e.redo LIKE '%"actors"%' AND json_valid(e.redo)
) HAVING MAX(m) IS NOT NULL;
CREATE INDEX parked_links_run ON parked_links (park_run);
CREATE TABLE parked_actors (
    park_run TEXT NOT NULL, id INTEGER NOT NULL, kb_id TEXT, name TEXT NOT NULL,
    label TEXT NOT NULL, country TEXT NOT NULL, registry_id TEXT, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, run_id TEXT NOT NULL
);
CREATE INDEX parked_actors_run ON parked_actors (park_run);
ALTER TABLE relations ADD COLUMN restored_by TEXT NOT NULL DEFAULT '';
ALTER TABLE parked_relations ADD COLUMN restored_by TEXT NOT NULL DEFAULT '';
DROP TRIGGER span_actor_park;
CREATE TRIGGER span_actor_park BEFORE DELETE ON spans
WHEN EXISTS (SELECT 1 FROM span_actor WHERE span_id = OLD.id)
BEGIN
    INSERT OR REPLACE INTO span_actor_parked
        (span_id, doc_id, start, end, actor_id, state, reason, annotator, updated_at, run_id)
    SELECT OLD.id, OLD.doc_id, OLD.start, OLD.end, actor_id, state, reason, annotator,
           updated_at, run_id
    FROM span_actor WHERE span_id = OLD.id;
END
"""

# MIGRATIONS[i] takes a database from user_version i to i + 1.
MIGRATIONS: list[str] = [V1, V2, V3, V4, V5, V6, V7]
SCHEMA_VERSION = len(MIGRATIONS)
