"""One module per training-data format: a ``Writer`` for export, ``read`` for import.

Modules are imported lazily by ``annotator.io.export`` and the importer, so spaCy is
only loaded when a DocBin is written.
"""

from __future__ import annotations

# export format name (CLI) -> module under annotator.io.formats
EXPORT_MODULES: dict[str, str] = {
    "jsonl": "prodigy",
    "spacy": "spacy_docbin",
    "doccano": "doccano",
    "brat": "brat",
    "conll": "conll",
    "hf": "hf",
    "events": "events",
    "graph": "graph",
}
