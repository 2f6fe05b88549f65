"""Render the actor graph of the sample project, for docs/screenshot-graph.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/screenshot_graph.py [OUT.png]

Works on a temporary copy of the sample project: gazetteer-only pre-annotation (no
model run: deterministic), which links every mention to an actor; then, for the
picture, relations are drawn between the first two actors of sentences whose verbs
say what kind of event it is ("sent troops" MOBILIZE, "condemned" ACCUSE, ...). These
are illustrative, not gold annotations. Every edit goes through core operations; the
graph window is grabbed offscreen with one edge selected (its evidence listed).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from shot_sandbox import ROOT, sample_copy, sandbox  # noqa: E402 - beside this script

CUES = (  # first match wins
    (r"options are open|threat|warn", "THREATEN"),
    (r"sanction", "SANCTION"),
    (r"troops|landed|deploy|planes|military contingent|personnel", "MOBILIZE"),
    (r"condemn|accus|reckless|blam|criticiz", "ACCUSE"),
    (r"recogni[sz]|support|backing|backed|ally|allies", "SUPPORT"),
    (r"demand|urge|called on|asked|ask ", "REQUEST"),
    (r"reject|refus|denied|deny", "REJECT"),
    (r"met |meeting|talks|visit|spoke|phone", "CONSULT"),
    (r"aid|loan|deliver|sent|supplies|weapons|oil", "AID"),
    (r"agree|accord|deal|sign", "AGREE"),
)
SKIP = {"reuters", "afp", "associated-press", "cbs-news", "financial-times", "interfax",
        "ria-novosti", "thomson-reuters", "tass"}  # news sources, not actors of events
ENDS = ("GPE", "PERSON", "ORG", "MIL_UNIT", "ARMED_GROUP")


def build(project_dir: Path) -> object:
    from annotator.core import ops
    from annotator.core.actor_graph import sentence_bounds
    from annotator.core.actors import links_of_document
    from annotator.core.errors import AnnotatorError
    from annotator.io.projects import open_project
    from annotator.nlp.preannotate import Options, preannotate_project

    project = open_project(project_dir, annotator="screenshot")
    preannotate_project(project, Options(model="blank"))
    for doc in project.iter_documents():
        text = doc.text or ""
        links = links_of_document(project, doc.id)
        spans = [s for s in project.spans(doc.id) if s.label in ENDS and s.id in links
                 and links[s.id][1].registry_id not in SKIP]
        seen: set[tuple[int, int]] = set()
        for s in spans:
            a, b = sentence_bounds(text, s.start, s.end)
            if (a, b) in seen:
                continue
            seen.add((a, b))
            inside = [x for x in spans if a <= x.start and x.end <= b]
            pair = _first_pair(inside, links)
            rtype = next((t for cue, t in CUES if re.search(cue, text[a:b], re.I)), None)
            if pair is None or rtype is None:
                continue
            try:
                project.apply(ops.AddRelation(pair[0].id, pair[1].id, rtype))
            except AnnotatorError:
                continue  # not allowed for that label pair: leave it out
        project.apply(ops.SetStatus(doc.id, "done", accept=True))
    return project


def _first_pair(spans: list, links: dict) -> tuple | None:
    for i, h in enumerate(spans):
        for c in spans[i + 1:]:
            if links[h.id][1].id != links[c.id][1].id:
                return h, c
    return None


def main(out: Path) -> Path:
    tmp = sandbox()
    sample_copy(tmp)
    from annotator.gui.app import ensure_app

    app = ensure_app()
    project = build(tmp / "venezuela-2019")
    from annotator.gui.main_window import MainWindow

    window = MainWindow(project)  # type: ignore[arg-type]
    graph = window.actors.open_graph()
    graph.resize(1500, 950)
    for _ in range(5):
        app.processEvents()
    graph.canvas.fit()
    busiest = max(range(len(graph.edges)), key=lambda k: graph.edges[k].count)
    graph.item.selected_edge = busiest
    graph.show_edge(busiest)
    for _ in range(5):
        app.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    graph.grab().save(str(out))
    graph.close()
    window.close()
    project.close()  # type: ignore[attr-defined]
    shutil.rmtree(tmp, ignore_errors=True)
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot-graph.png"
    print(main(target))
