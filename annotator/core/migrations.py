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
    run_id TEXT NOT NULL
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

# MIGRATIONS[i] takes a database from user_version i to i + 1.
MIGRATIONS: list[str] = [V1, V2]
SCHEMA_VERSION = len(MIGRATIONS)
