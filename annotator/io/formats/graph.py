"""The actor graph as GraphML (networkx, Gephi) and a CSV edge list (``--format graph``).

Nodes are actors (name, label, kb_id, country, mentions in the exported documents);
edges are relation types between two actors, aggregated: type, quad class, count and
the documents they come from. A relation with an end that has no actor cannot be an
edge: it is counted in the summary. Output: ``NAME.graphml`` and ``NAME.edges.csv``.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from annotator.core.actor_graph import STANDING, relation_classes
from annotator.core.actors import Actor, links_of_document
from annotator.io.formats.common import DocView, ExportContext, ExportSummary
from annotator.io.formats.common import Writer as BaseWriter

EDGE_FIELDS = ("source", "target", "source_name", "target_name", "type", "quad_class", "count",
               "documents")


def edges_path(output: Path) -> Path:
    return output.with_name(f"{output.stem}.edges.csv")


class Writer(BaseWriter):
    def __init__(self, output: Path, summary: ExportSummary, ctx: ExportContext) -> None:
        super().__init__(output, summary, ctx)
        output.parent.mkdir(parents=True, exist_ok=True)
        self.actors: dict[int, Actor] = {}
        self.mentions: Counter[int] = Counter()
        self.edges: dict[tuple[int, int, str], set[str]] = {}
        self.counts: Counter[tuple[int, int, str]] = Counter()
        self.classes = relation_classes(ctx.schema) if ctx.schema else {}

    def write(self, view: DocView) -> None:
        links = links_of_document(self.ctx.project, view.id, layer=self.ctx.layer)
        actor_of: dict[int, int] = {}
        for s in view.spans:
            link, actor = links.get(s.id, (None, None))
            if link is not None and actor is not None and link.state != "rejected":
                self.actors[actor.id] = actor
                self.mentions[actor.id] += 1
                actor_of[s.id] = actor.id
        for r in view.relations:
            h, c = actor_of.get(view.spans[r.head].id), actor_of.get(view.spans[r.child].id)
            if h is None or c is None:
                self.summary.note("relations left out of the graph: an end has no actor",
                                  example=f"{view.name} {r.label}")
                continue
            if r.label in self.ctx.symmetric and h > c:
                h, c = c, h
            key = (h, c, r.label)
            self.counts[key] += 1
            self.edges.setdefault(key, set()).add(view.name)

    def close(self) -> list[Path]:
        import networkx as nx

        g = nx.MultiDiGraph()
        for aid, a in self.actors.items():
            g.add_node(str(aid), name=a.name, label=a.label, kb_id=a.kb_id or "",
                       country=a.country or "", mentions=self.mentions[aid])
        rows = []
        for (h, c, t), docs in sorted(self.edges.items()):
            quad = self.classes.get(t, STANDING)
            n = self.counts[(h, c, t)]
            g.add_edge(str(h), str(c), key=t, type=t, quad_class=quad, count=n,
                       documents=";".join(sorted(docs)), symmetric=t in self.ctx.symmetric)
            rows.append({"source": h, "target": c, "source_name": self.actors[h].name,
                         "target_name": self.actors[c].name, "type": t, "quad_class": quad,
                         "count": n, "documents": ";".join(sorted(docs))})
        nx.write_graphml(g, self.output)
        csv_path = edges_path(self.output)
        with open(csv_path, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=EDGE_FIELDS)
            w.writeheader()
            w.writerows(rows)
        return [self.output, csv_path]
