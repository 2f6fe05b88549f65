"""The corpus graph window: actors as nodes, relation types as edges, filters, evidence.

Data comes from ``core.actor_graph`` (one query per reload), positions from
``layout`` (cached in the project); a filter change re-aggregates in memory and
rebuilds one graphics item. Clicking an edge lists its evidence sentences; activating
one opens the document at that relation (the window's ``open_relation`` callback).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QMouseEvent, QPainter, QPixmap, QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.core.actor_graph import (
    QUAD_CLASSES,
    STANDING,
    Edge,
    Filters,
    GraphData,
    aggregate,
    load_graph,
    parse_date,
    paused_gc,
    sentence_bounds,
)
from annotator.core.models import STATUSES
from annotator.gui.actors.graph_item import QUAD_COLOURS, GraphItem
from annotator.gui.actors.layout import load_cached, save_cached, spring_positions

if TYPE_CHECKING:
    from annotator.core.store import Project

OpenRelation = Callable[[int, int, int], None]  # doc id, relation id, head span id
ROLE = Qt.ItemDataRole.UserRole


class GraphCanvas(QGraphicsView):
    edgeClicked = Signal(int)  # index into the item's edges
    nodeClicked = Signal(int)  # actor id

    def __init__(self, item: GraphItem) -> None:
        super().__init__()
        self.item = item
        scene = QGraphicsScene(self)
        scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        scene.addItem(item)
        self.setScene(scene)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setBackgroundBrush(QColor("#FAFAFA"))

    def fit(self) -> None:
        self.scene().setSceneRect(self.item.boundingRect())
        self.fitInView(self.item.boundingRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def wheelEvent(self, e: QWheelEvent) -> None:
        factor = 1.2 if e.angleDelta().y() > 0 else 1 / 1.2
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.scale(factor, factor)

    def mousePressEvent(self, e: QMouseEvent) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            p = self.mapToScene(e.position().toPoint())
            zoom = self.transform().m11() or 1.0
            node = self.item.node_at(p, slack=3 / zoom)
            if node is not None:
                self.item.selected_node = node
                self.item.update()
                self.nodeClicked.emit(node)
                return
            k = self.item.edge_at(p, tolerance=5 / zoom)
            if k is not None:
                self.item.selected_edge = k
                self.item.update()
                self.edgeClicked.emit(k)
                return
        super().mousePressEvent(e)


class GraphWindow(QWidget):
    """Top-level window (one per main window); ``reload`` after the corpus changed."""

    def __init__(self, project: Project, open_relation: OpenRelation,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.project = project
        self.open_relation = open_relation
        self.setWindowTitle(f"Actor graph - {project.name}")
        self.resize(1280, 800)
        colours = {e.name: e.color for e in project.schema.entities}
        self.item = GraphItem(colours)
        self.canvas = GraphCanvas(self.item)
        self.data = GraphData()
        self.edges: list[Edge] = []
        self.pos: dict[int, tuple[float, float]] = {}
        self._build()
        self.canvas.edgeClicked.connect(self.show_edge)
        self.canvas.nodeClicked.connect(self.show_node)

    # ---- widgets -------------------------------------------------------------------------
    def _build(self) -> None:
        self.types = QListWidget()
        self.types.setObjectName("graph_types")
        self.labels = QListWidget()
        self.labels.setObjectName("graph_labels")
        self.status = QComboBox()
        self.status.addItem("any status", None)
        for s in STATUSES:
            self.status.addItem(s.replace("_", " "), s)
        self.layer = QComboBox()
        self.date_from, self.date_to = QLineEdit(), QLineEdit()
        for w in (self.date_from, self.date_to):
            w.setPlaceholderText("YYYY-MM-DD")
            w.editingFinished.connect(self.apply_filters)
        self.info = QLabel()
        self.info.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Document status", self.status)
        form.addRow("Layer", self.layer)
        form.addRow("From", self.date_from)
        form.addRow("To", self.date_to)
        left = QWidget()
        lay = QVBoxLayout(left)
        lay.addWidget(QLabel("Relation types"))
        lay.addWidget(self.types, 3)
        lay.addWidget(QLabel("Actor labels"))
        lay.addWidget(self.labels, 2)
        lay.addLayout(form)
        lay.addWidget(self.info)
        self.evidence = QListWidget()
        self.evidence.setObjectName("graph_evidence")
        self.evidence.setWordWrap(True)
        self.evidence.setAlternatingRowColors(True)
        self.evidence.setSpacing(2)
        self.evidence.itemActivated.connect(self._open_evidence)
        self.evidence.itemDoubleClicked.connect(self._open_evidence)
        self.evidence_title = QLabel("Click an edge to see its evidence.")
        self.evidence_title.setWordWrap(True)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(self.evidence_title)
        rl.addWidget(self.evidence, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.canvas)
        split.addWidget(right)
        split.setSizes([230, 760, 290])
        split.setStretchFactor(1, 1)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(split)
        self.types.itemChanged.connect(lambda _i: self.apply_filters())
        self.labels.itemChanged.connect(lambda _i: self.apply_filters())
        self.status.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.layer.currentIndexChanged.connect(lambda _i: self.apply_filters())

    def _fill_lists(self) -> None:
        for w in (self.types, self.labels, self.layer):
            w.blockSignals(True)
        checked = self._checked(self.types)
        self.types.clear()
        order = {q: i for i, q in enumerate((*QUAD_CLASSES, STANDING))}
        for t, quad in sorted(self.data.classes.items(), key=lambda kv: (order.get(kv[1], 9), kv[0])):
            it = QListWidgetItem(_swatch(QUAD_COLOURS.get(quad, "#999")), f"{t}  ({quad})")
            it.setData(ROLE, t)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked if checked is None or t in checked
                             else Qt.CheckState.Unchecked)
            self.types.addItem(it)
        labels_checked = self._checked(self.labels)
        self.labels.clear()
        for label in sorted({a.label for a in self.data.actors.values()}):
            it = QListWidgetItem(label)
            it.setData(ROLE, label)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked if labels_checked is None or label in labels_checked
                             else Qt.CheckState.Unchecked)
            self.labels.addItem(it)
        current = self.layer.currentData()
        self.layer.clear()
        for layer in self.data.layers:
            self.layer.addItem(layer or "gold", layer)
        self.layer.setCurrentIndex(max(0, self.layer.findData(current or "")))
        for w in (self.types, self.labels, self.layer):
            w.blockSignals(False)

    @staticmethod
    def _checked(w: QListWidget) -> set[str] | None:
        if w.count() == 0:
            return None
        return {w.item(i).data(ROLE) for i in range(w.count())
                if w.item(i).checkState() == Qt.CheckState.Checked}

    # ---- data ----------------------------------------------------------------------------
    def reload(self, *, fit: bool = True) -> None:
        """Re-read relations and actors; positions come from the cache where known.
        ``fit=False`` (after an edit) keeps the zoom and scroll the annotator chose."""
        self.data = load_graph(self.project)
        weights = self.data.pair_weights()
        nodes = {a for k in weights for a in k}
        cached = load_cached(self.project)
        self.pos = spring_positions(sorted(nodes), weights, cached=cached)
        if any(n not in cached for n in nodes):
            save_cached(self.project, self.pos)
        self._fill_lists()
        self.apply_filters()
        if fit:
            self.canvas.fit()

    def filters(self) -> Filters:
        return Filters(types=self._checked(self.types), labels=self._checked(self.labels),
                       statuses=[self.status.currentData()] if self.status.currentData() else None,
                       date_from=_date(self.date_from), date_to=_date(self.date_to),
                       layer=self.layer.currentData() or "")

    def apply_filters(self) -> None:
        edges = aggregate(self.data, self.filters())
        self.edges = list(edges.values())
        shown = {a for e in self.edges for a in (e.head, e.child)}
        nodes = [self.data.actors[a] for a in shown if a in self.pos]
        with paused_gc():  # thousands of QLineF objects: no collection halfway
            self.item.set_graph(nodes, self.pos, self.edges)
        self.edges = self.item.edges  # self-loops and unplaced ends are not drawn
        n_rel = sum(e.count for e in self.edges)
        note = f"; {self.data.unlinked} relations have an end without actor" if self.data.unlinked else ""
        self.info.setText(f"{len(nodes)} actors, {len(self.edges)} edges from {n_rel} relations{note}.")
        self.evidence.clear()
        self.evidence_title.setText("Click an edge to see its evidence." if self.edges else
                                    "No relations between linked actors match these filters.")

    # ---- evidence ------------------------------------------------------------------------
    def show_edge(self, k: int) -> None:
        e = self.edges[k]
        a, b = self.data.actors[e.head], self.data.actors[e.child]
        self.evidence_title.setText(f"<b>{a.name}</b> {e.type} <b>{b.name}</b>: {e.count}"
                                    f" relation{'s' if e.count != 1 else ''} ({e.quad})")
        self.evidence.clear()
        texts: dict[int, str] = {}
        names: dict[int, str] = {}
        for r in (self.data.relation(int(i), self.project) for i in e.rows[:500]):
            text = texts.get(r.doc_id)
            if text is None:
                doc = self.project.document(r.doc_id)
                text = texts[r.doc_id] = doc.text or ""
                names[r.doc_id] = doc.name
            hs, cs = self.project.span(r.head_span), self.project.span(r.child_span)
            s, t = sentence_bounds(text, min(hs.start, cs.start), max(hs.end, cs.end))
            it = QListWidgetItem(f"{names.get(r.doc_id, r.doc_id)}: {' '.join(text[s:t].split())}")
            it.setData(ROLE, (r.doc_id, r.id, r.head_span))
            self.evidence.addItem(it)

    def show_node(self, actor_id: int) -> None:
        a = self.data.actors[actor_id]
        edges = [e for e in self.edges if actor_id in (e.head, e.child)]
        self.evidence_title.setText(f"<b>{a.name}</b> ({a.label}{', ' + a.country if a.country else ''}"
                                    f"{', ' + a.kb_id if a.kb_id else ''}): {a.mentions} mentions,"
                                    f" {len(edges)} edges")
        self.evidence.clear()
        for e in sorted(edges, key=lambda e: -e.count):
            other = self.data.actors[e.child if e.head == actor_id else e.head]
            arrow = "->" if e.head == actor_id else "<-"
            it = QListWidgetItem(f"{e.type} {arrow} {other.name} ({e.count})")
            r = self.data.relation(int(e.rows[0]), self.project)
            it.setData(ROLE, (r.doc_id, r.id, r.head_span))
            self.evidence.addItem(it)

    def _open_evidence(self, it: QListWidgetItem) -> None:
        data = it.data(ROLE)
        if data:
            self.open_relation(*data)

    def edge_index(self, head: int, child: int, rtype: str) -> int | None:
        return next((k for k, e in enumerate(self.edges)
                     if (e.head, e.child, e.type) == (head, child, rtype)), None)


def _date(w: QLineEdit) -> str | None:
    text = w.text().strip()
    if not text:
        w.setStyleSheet("")
        return None
    found = parse_date(text)
    w.setStyleSheet("" if found else "QLineEdit { background: #FDE2E1; }")
    return found


def _swatch(colour: str) -> QIcon:
    pm = QPixmap(12, 12)
    pm.fill(QColor(colour))
    return QIcon(pm)
