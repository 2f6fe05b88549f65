"""The corpus graph: dates, sentences, filters and aggregation (Qt-free)."""

from __future__ import annotations

from annotator.core.actor_graph import (
    Filters,
    aggregate,
    document_date,
    load_graph,
    relation_classes,
    sentence_bounds,
)
from annotator.core.actor_ops import CreateActor, reject_links
from annotator.core.ops import AddRelation, AddSpan, SetStatus

TEXT = "Russia helped Venezuela. Venezuela thanked Russia.\nRussia and Cuba are allies."


def test_dates_from_meta_or_text() -> None:
    assert document_date({"date": "2019-03-26T10:00:00Z"}) == "2019-03-26"
    assert document_date({}, "CARACAS, April 2, 2019 (Reuters) - ...") == "2019-04-02"
    assert document_date({}, "On 3 April 2019 Lavrov met ...") == "2019-04-03"
    assert document_date({"date": "yesterday"}, "WASHINGTON, March 26 (Reuters)") is None
    assert document_date({}, "on 2019-02-30 nothing") is None  # not a date


def test_sentence_bounds() -> None:
    s = TEXT.index("thanked")
    a, b = sentence_bounds(TEXT, s, s + 7)
    assert TEXT[a:b] == "Venezuela thanked Russia."
    a, b = sentence_bounds(TEXT, TEXT.index("Cuba"), TEXT.index("Cuba") + 4)
    assert TEXT[a:b] == "Russia and Cuba are allies."


def test_quad_classes_come_from_the_schema(project) -> None:
    classes = relation_classes(project.schema)
    assert classes["AID"] == "material cooperation" and classes["THREATEN"] == "verbal conflict"
    assert classes["LEADER_OF"] == "standing"


def test_aggregate_filters_and_symmetric_types(project) -> None:
    doc = project.add_document("a.txt", TEXT, meta={"date": "2019-03-01"})
    other = project.add_document("b.txt", TEXT + " ")
    ids = {}
    for d in (doc, other):
        for n, (word, k) in enumerate((("Russia", 0), ("Venezuela", 0), ("Venezuela", 1),
                                       ("Russia", 1), ("Russia", 2), ("Cuba", 0))):
            start = [i for i in range(len(TEXT)) if TEXT.startswith(word, i)][k]
            span = project.apply(AddSpan(d, start, start + len(word), "GPE")).change.spans_added[0]
            ids[(d, n)] = span.id
    project.apply(CreateActor("Russia", "GPE", "RUS", span_ids=[ids[(d, n)] for d in (doc, other)
                                                                for n in (0, 3, 4)]))
    project.apply(CreateActor("Venezuela", "GPE", "VEN", span_ids=[ids[(d, n)] for d in (doc, other)
                                                                   for n in (1, 2)]))
    project.apply(CreateActor("Cuba", "GPE", "CUB", span_ids=[ids[(doc, 5)]]))
    for d in (doc, other):
        project.apply(AddRelation(ids[(d, 0)], ids[(d, 1)], "AID"))
        project.apply(AddRelation(ids[(d, 2)], ids[(d, 3)], "SUPPORT"))
    project.apply(AddRelation(ids[(doc, 5)], ids[(doc, 4)], "ALLIED_WITH"))  # Cuba - Russia
    project.apply(AddRelation(ids[(other, 5)], ids[(other, 4)], "ALLIED_WITH"))  # Cuba unlinked
    project.apply(SetStatus(doc, "done"))
    data = load_graph(project)
    assert data.unlinked == 1 and len(data) == 5
    names = {a.name: a.id for a in data.actors.values()}
    edges = aggregate(data)
    rus, ven, cub = names["Russia"], names["Venezuela"], names["Cuba"]
    assert edges[(rus, ven, "AID")].count == 2 and edges[(ven, rus, "SUPPORT")].count == 2
    assert (min(rus, cub), max(rus, cub), "ALLIED_WITH") in edges  # symmetric: one direction
    assert set(aggregate(data, Filters(types=["AID"]))) == {(rus, ven, "AID")}
    assert aggregate(data, Filters(statuses=["done"]))[(rus, ven, "AID")].count == 1
    dated = aggregate(data, Filters(date_from="2019-03-01", date_to="2019-03-31"))
    assert dated[(rus, ven, "AID")].count == 1  # the other document has no date
    assert aggregate(data, Filters(date_from="2020-01-01")) == {}
    assert aggregate(data, Filters(layer="nobody")) == {}
    rel = data.relation(int(edges[(rus, ven, "AID")].rows[0]), project)
    assert (rel.doc_id, rel.type, rel.date) == (doc, "AID", "2019-03-01")
    # a rejected link takes its relations out of the graph
    project.apply(reject_links([ids[(doc, 0)]]))
    assert aggregate(load_graph(project))[(rus, ven, "AID")].count == 1
