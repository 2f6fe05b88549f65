"""The annotation window: assembles the panels and routes commands; holds no logic of its own.

Docks live in ``docks/``, the text and span commands in ``text/``, relations in
``relations/`` (``install_relations``), actions in ``actions``. Every edit's Change comes
back through ``_on_change``, the one place that decides what refreshes: it folds the
Change into the shared ``DocumentState`` and the views follow the state. Opening another
project is ``projectRequested``; ``app.py`` owns the windows' lifetime.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from annotator.core.edit import EVERY_DOCUMENT, Change
from annotator.core.queries import Match
from annotator.core.settings import add_recent_project, load_settings, save_settings
from annotator.core.store import Project
from annotator.gui import commands
from annotator.gui.actions import MENUS, TEXT, WINDOW, Act, Needs, build_actions, enable, label_actions, spec
from annotator.gui.actors import install_actors
from annotator.gui.day import install_day
from annotator.gui.dialogs import show_about, show_keyboard_help
from annotator.gui.docks.documents import DocumentPanel
from annotator.gui.docks.entities import EntityPanel
from annotator.gui.docks.find_bar import FindBar
from annotator.gui.docks.labels import LabelPalette
from annotator.gui.jobs.preannotate_confirm import confirm_preannotation
from annotator.gui.relations import install_relations
from annotator.gui.state.document import DocumentState
from annotator.gui.status import AppStatusBar, make_banner
from annotator.gui.text.editor import Editor
from annotator.gui.text.view import SpanTextView
from annotator.gui.theme import apply_palette, theme
from annotator.gui.training import install_training
from annotator.io.formats import import_filter


class MainWindow(QMainWindow):
    projectRequested = Signal(Path)  # open this project in a new window (app.py does it)

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.settings = load_settings()
        self.setWindowTitle(f"{project.name} - Geo Annotator")
        self.setAcceptDrops(True)
        self.state = DocumentState()  # the open document: every view reads this one
        self.view = SpanTextView(state=self.state)
        self.editor = Editor(project, self.view, self)
        self.editor.snap_tokens = bool(self.settings.get("snap_to_tokens", True))
        self.find_bar = FindBar(project)
        self.find_bar.hide()
        self.docs = DocumentPanel(project)
        self.entities = EntityPanel(self.state)
        self.entities.model.colours = {e.name: e.color for e in project.schema.entities}
        self.palette_panel = LabelPalette(project.schema)
        self.status = AppStatusBar(project.annotator)
        self.setStatusBar(self.status)
        self._runner = None  # the background pre-annotation, kept alive while it runs
        self._build_central()
        self._build_docks()
        self.actions = build_actions(self)
        self.labels = label_actions(project.schema, self)
        self._build_menus()
        self._connect()
        self.view.set_font_size(int(self.settings.get("font_size", 12)) + 1)
        self.set_theme(str(self.settings.get("theme", "light")))
        self.relations = install_relations(self, self.view, self.editor, actions=self.actions)
        self.menus["View"].addAction(self.relations.panel.toggleViewAction())
        self.training = install_training(self)  # Model menu: train, use, rank
        self.actors = install_actors(self)  # Actors dock, A / Shift+A, actor graph
        install_day(self)  # memory dock, finishing, find steps, skip, small screens
        self._restore_geometry()
        self._open_first_document()

    # ---- construction ----------------------------------------------------------------------
    def _build_central(self) -> None:
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.banner = make_banner()  # shown when there is something the annotator must know
        lay.addWidget(self.banner)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.find_bar)
        self.setCentralWidget(central)

    def _build_docks(self) -> None:
        self.dock_docs = self._dock("Documents", self.docs, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.dock_labels = self._dock("Labels", self.palette_panel, Qt.DockWidgetArea.RightDockWidgetArea)
        self.dock_entities = self._dock("Entities", self.entities, Qt.DockWidgetArea.RightDockWidgetArea)

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock:{title}")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_menus(self) -> None:
        self.menus = menus = {name: self.menuBar().addMenu(f"&{name}") for name in MENUS}
        toolbar = QToolBar("Main")
        toolbar.setObjectName("toolbar:main")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(toolbar)
        self.recent_menu = menus["File"].addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        for action_id, action in self.actions.items():
            s = spec(action_id)
            if s.menu and s.separator_before:
                menus[s.menu].addSeparator()
            if s.menu:
                menus[s.menu].addAction(action)
            if s.toolbar:
                toolbar.addAction(action)
            if s.scope in (TEXT, WINDOW):  # relations-table actions go on the table
                (self.view if s.scope == TEXT else self).addAction(action)
        menus["Edit"].addSeparator()
        label_menu = menus["Edit"].addMenu("&Label As")
        for action in self.labels.values():
            label_menu.addAction(action)
            self.view.addAction(action)
        for dock in (self.dock_docs, self.dock_labels, self.dock_entities):
            menus["View"].addAction(dock.toggleViewAction())
        self.actions[Act.SNAP_TOKENS].setChecked(self.editor.snap_tokens)

    def _connect(self) -> None:
        a, ed = self.actions, self.editor
        handlers = {
            Act.OPEN_PROJECT: self.open_project_dialog,
            Act.IMPORT_FILES: self.import_dialog,
            Act.PREANNOTATE: self.preannotate,
            Act.EXPORT: lambda: commands.export_dialog(self, self.project),
            Act.QUIT: self.close,
            Act.DELETE_SPAN: ed.delete_selected,
            Act.ACCEPT_SPAN: ed.accept_selected,
            Act.EXTEND_END: lambda: ed.move_edge("end", +1),
            Act.SHRINK_END: lambda: ed.move_edge("end", -1),
            Act.EXTEND_START: lambda: ed.move_edge("start", -1),
            Act.SHRINK_START: lambda: ed.move_edge("start", +1),
            Act.NEXT_SPAN: lambda: ed.select_neighbour(+1),
            Act.PREV_SPAN: lambda: ed.select_neighbour(-1),
            Act.DESELECT: lambda: (self.view.select_span(None), self.view.clear_text_selection()),
            Act.FIND: self.open_find,
            Act.DONE_NEXT: ed.done_and_next,
            Act.ACCEPT_ALL: ed.accept_all,
            Act.NEXT_DOC: lambda: self._step_document(+1),
            Act.PREV_DOC: lambda: self._step_document(-1),
            Act.ZOOM_IN: lambda: self._zoom(+1),
            Act.ZOOM_OUT: lambda: self._zoom(-1),
            Act.OPEN_PACKAGE: self.open_package_dialog,
            Act.AGREEMENT: lambda: commands.agreement_dialog(self, self.project),
            Act.ADJUDICATE: lambda: commands.adjudicate(
                self, self.project, ed.doc_id,
                lambda doc: ed.session.announce(Change(documents=frozenset({doc})))
            ),
            Act.KEYBOARD_HELP: lambda: show_keyboard_help(self),
            Act.ABOUT: lambda: show_about(self),
        }  # Add Relation, Relation Types, Delete Relations: install_relations connects them
        for action_id, handler in handlers.items():
            a[action_id].triggered.connect(handler)
        a[Act.SNAP_TOKENS].toggled.connect(self._set_snap)
        a[Act.DARK_THEME].toggled.connect(lambda on: self.set_theme("dark" if on else "light", save=True))
        for name, action in self.labels.items():
            action.triggered.connect(lambda _=False, n=name: ed.apply_label(n))
        self.palette_panel.labelChosen.connect(ed.apply_label)
        ed.session.stack.bind(a[Act.UNDO], a[Act.REDO])  # enabled state and the step's name
        if ed.session.shared:
            self.show_banner("This project is open in another window too: edits from both are"
                             " saved, and each window shows the other's within a second.")
        ed.session.changed.connect(self._on_change)
        ed.session.failed.connect(self.status.set_failed)
        ed.message.connect(lambda m: self.status.showMessage(m, 5000))
        ed.documentOpened.connect(self._on_document_opened)
        self.docs.documentActivated.connect(ed.open_document)
        self.entities.spanActivated.connect(lambda i: self.view.select_span(i, reveal=True))
        self.view.selectedSpanChanged.connect(self._on_span_selected)
        self.find_bar.matchActivated.connect(self._show_match)
        self._on_span_selected(None)

    # ---- documents -------------------------------------------------------------------------
    def _open_first_document(self) -> None:
        rows = self.docs.model.rows
        first = self.project.next_document(0) or (rows[0].id if rows else None)
        if first is not None:
            self.editor.open_document(first)
        else:
            self.view.setPlaceholderText("No documents yet: File > Import Files, or drop files here.")

    def _on_document_opened(self, doc_id: int) -> None:
        self.docs.show_current(doc_id)
        self.find_bar.set_document(doc_id, self.editor.text)
        name = self.project.document(doc_id, with_text=False).name
        self.setWindowTitle(f"{name} - {self.project.name} - Geo Annotator")
        self.view.setFocus()

    def _step_document(self, direction: int) -> None:
        rows, cur = self.docs.model.rows, self.editor.doc_id
        i = self.docs.model.row_of(cur) if cur is not None else None
        j = (i or 0) + direction
        if i is not None and 0 <= j < len(rows):
            self.editor.open_document(rows[j].id)

    def _on_change(self, change: Change) -> None:
        """The one change hook: every edit, undo, bulk run and other window's edit lands here."""
        if change.bulk:
            if self.editor.doc_id in change.documents or EVERY_DOCUMENT in change.documents:
                self.editor.reload()
            self.docs.model.reload()
            self.docs.update_progress()
            if self.editor.doc_id is None:
                self._open_first_document()
            else:
                self.docs.show_current(self.editor.doc_id)
            self.status.set_saved()
            return
        self.state.apply(change)  # -> text view, entities, relations table, arcs
        for doc_id in {change.doc_id, *(s.doc_id for s in change.spans_added)} - {None}:
            self.docs.model.refresh_row(doc_id)
        if change.status is not None:
            self.docs.update_progress()
        self.status.set_saved()

    def _on_span_selected(self, span_id: int | None) -> None:
        span = self.state.span(span_id)
        enable(self.actions, Needs.SPAN, span is not None)
        enable(self.actions, Needs.SUGGESTION, bool(span and span.state == "suggested"))
        self.entities.show_span(span_id)

    # ---- find --------------------------------------------------------------------------------
    def open_find(self) -> None:
        cur = self.view.textCursor()
        self.find_bar.open(cur.selectedText() if cur.hasSelection() else "")

    def _show_match(self, m: Match) -> None:
        if m.doc_id and m.doc_id != self.editor.doc_id:
            self.editor.open_document(m.doc_id)
        cur = self.view.textCursor()
        cur.setPosition(self.view.offsets.to_utf16(m.start))
        cur.setPosition(self.view.offsets.to_utf16(m.end), cur.MoveMode.KeepAnchor)
        self.view.setTextCursor(cur)
        self.view.centerCursor()

    # ---- commands ----------------------------------------------------------------------------
    def open_project_dialog(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Open project folder")
        if path:
            self.switch_project(Path(path))

    def open_package_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open work package", "", "Work package (*.annpack);;All files (*)"
        )
        if path:
            self.switch_project(Path(path))  # open_project unpacks .annpack files once

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for p in load_settings().get("recent_projects", []):
            act = QAction(p, self.recent_menu)
            act.triggered.connect(lambda _=False, path=p: self.switch_project(Path(path)))
            self.recent_menu.addAction(act)

    def switch_project(self, path: Path) -> None:
        """Ask for ``path`` in a new window; this one closes once that one is open."""
        self.projectRequested.emit(path)

    def import_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Import files", "", import_filter()  # every suffix the importer reads
        )
        if files:
            self.import_paths([Path(f) for f in files])

    def import_paths(self, paths: list[Path]) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            report = commands.import_files(self.project, paths)
        finally:
            QApplication.restoreOverrideCursor()
        self.editor.session.announce(Change(documents=frozenset({EVERY_DOCUMENT})))
        QMessageBox.information(self, "Import", report.summary())

    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        if e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dropEvent(self, e: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in e.mimeData().urls() if u.isLocalFile()]
        if paths:
            e.acceptProposedAction()
            self.import_paths(paths)

    def preannotating(self) -> bool:
        """A pre-annotation run of this window is still going."""
        return self._runner is not None

    def preannotate(self) -> None:
        if confirm_preannotation(self, self.project):  # says what the run will do first
            self._runner = commands.preannotate_with_dialog(self, self.project, self._preannotated)

    def start_background_preannotation(self) -> None:
        """First open of a freshly created project: suggest entities without blocking."""
        self.status.set_model_state("loading...", progress=(0, 0))
        self._runner = commands.preannotate_in_background(
            self,
            self.project,
            self._preannotated,
            on_progress=lambda done, total=0, *_: self.status.set_model_state(
                "pre-annotating", progress=(done, total)
            ),
        )

    def _preannotated(self, summary: dict) -> None:
        failed = summary.get("failed")
        self.status.set_run_result(summary)
        if summary.get("statistical") is False:
            self.show_banner(
                f"No spaCy model: {summary.get('note') or 'statistical NER is off'}. Suggestions"
                " come from the gazetteer and project memory only (see docs/preannotation.md)."
            )
        if failed:
            self.status.showMessage(f"Pre-annotation: {failed}", 8000)
        self.editor.session.announce(Change(documents=frozenset({EVERY_DOCUMENT})))
        self._runner = None

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    # ---- view settings -----------------------------------------------------------------------
    def set_theme(self, name: str, *, save: bool = False) -> None:
        t = theme(name)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_palette(app, t)
        self.view.set_theme(t)
        self.actions[Act.DARK_THEME].blockSignals(True)
        self.actions[Act.DARK_THEME].setChecked(t.name == "dark")
        self.actions[Act.DARK_THEME].blockSignals(False)
        if save:
            self._save_setting("theme", t.name)

    def _set_snap(self, on: bool) -> None:
        self.editor.snap_tokens = on
        self._save_setting("snap_to_tokens", on)

    def _zoom(self, step: int) -> None:
        size = max(8, min(28, int(self.settings.get("font_size", 12)) + step))
        self.view.set_font_size(size + 1)
        self._save_setting("font_size", size)

    def _save_setting(self, key: str, value: object) -> None:
        self.settings = {**load_settings(), key: value}
        save_settings(self.settings)

    # ---- geometry ----------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        qs = QSettings()
        geometry = qs.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
            self.restoreState(qs.value("window/state"))
        else:  # first start: 1360x820, or the whole screen when that is smaller (1024x700)
            avail = self.screen().availableGeometry()
            small = avail.width() < 1400 or avail.height() < 880  # the frame needs room too
            self.resize(min(1360, avail.width()), min(820, avail.height()))
            if small:
                self.setWindowState(Qt.WindowState.WindowMaximized)
            side = 340 if not small else max(220, avail.width() // 5)
            self.resizeDocks([self.dock_docs], [side], Qt.Orientation.Horizontal)
            self.resizeDocks([self.dock_labels, self.dock_entities], [280, 280], Qt.Orientation.Horizontal)
            # the text keeps most of the height; the relations table scrolls
            self.resizeDocks([self.relations.panel], [180], Qt.Orientation.Vertical)

    def closeEvent(self, e: QCloseEvent) -> None:
        runner, self._runner = self._runner, None
        if runner is not None and runner.is_running():
            # A thread still running when Python exits aborts the process: stop it here.
            self.status.showMessage("Stopping pre-annotation...")
            runner.stop()
        qs = QSettings()
        qs.setValue("window/geometry", self.saveGeometry())
        qs.setValue("window/state", self.saveState())
        add_recent_project(self.project.path)
        self.editor.session.close()
        super().closeEvent(e)
