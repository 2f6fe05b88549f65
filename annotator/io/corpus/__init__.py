"""Corpus-scale pre-annotation: millions of articles on a Dask cluster, shards back to a project.

``inputs`` reads files or fsspec URLs through the importer's own readers and cuts the
documents into partitions; ``work`` is the pre-annotation of one partition, a pure
function of (texts, schema, gazetteer, memory, model); ``shards`` writes and checks the
Prodigy-style JSONL shards, their journal and manifest; ``run`` drives a run; ``cluster``
is the only module that imports Dask (imported lazily by ``run``, never by the app).
``annotator.io.corpus_shards`` (beside the importer) streams shards back into a project.
"""
