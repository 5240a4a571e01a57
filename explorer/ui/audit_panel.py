"""The audit panel: the findings in a table, filters, and the chosen finding with its marks.

:class:`FindingsModel` is a thin table over the audit's :class:`Finding`
objects; :class:`FindingsFilter` narrows it by severity and kind and sorts
it. Choosing a row selects the finding in the state, which opens its note,
passage and document in the other panes; the state's ``finding_selected``
moves the row back (history, ``--select``), and a row already chosen asks
for nothing, so nothing echoes. Rows that concern the open note are tinted.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QUrl,
)
from PySide6.QtGui import QBrush, QIcon, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from explorer.core.audit import ERROR, INFO, SEVERITIES, WARNING, Finding
from explorer.core.audit.review import CODE as DISAGREE
from explorer.core.model import Corpus
from explorer.core.verification import MarkTarget, finding_targets
from explorer.ui.audit_job import AuditJob
from explorer.ui.browser import LocalBrowser
from explorer.ui.marks_book import MarkBook
from explorer.ui.marks_editor import VerificationSection
from explorer.ui.palette import mark
from explorer.ui.review import ResolveDialog
from explorer.ui.rich_text import alert, caution, esc, link, link_css, muted, tooltip
from explorer.ui.state import ExplorerState
from explorer.ui.zoom import ui_font

#: What each check's code means, for a reader.
KIND_TITLES = {
    "IBID_INTENT": "Ibid. means another work",
    "IBID_AMBIGUOUS": "Ibid. is ambiguous",
    "DATE_MISMATCH": "Date differs from the documents",
    "NAME_VARIANT": "Name spelled differently",
    "UNTRACED_QUOTE": "Quotation not traced",
    "SECONDARY_ONLY": "Seen only in another work",
    "NO_SOURCE": "Cites no source",
    "PAGES_OUT_OF_RANGE": "Pages outside the work",
    "SAME_FILE": "Same archival file in several notes",
    "LOCATION_DIFFERS": "Archival locations differ",
    "CATALOG_MISMATCH": "Catalogue record differs", "CATALOGUED_UNCITED": "Catalogued but not cited",
    "FULL_CITATION_REPEATED": "Full citation repeated", "PAGE_MISSING": "Page missing", "IBID_FORM": "Ibid. form",
    "UNBALANCED_MARKS": "Unbalanced marks", "SPELLING": "Spelling", "QUOTE_WITHOUT_NOTE": "Quotation without a note",
    "MARKS_DISAGREE": "Reviewers disagree", "NOTE_UNPARSED": "Note not read in full",
}
SEVERITY_TITLES = {ERROR: "Error", WARNING: "Warning", INFO: "Note"}
SEVERITY_PLURALS = {ERROR: "Errors", WARNING: "Warnings", INFO: "Notes"}

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


#: The detail's link that adds a word to the corpus's spelling list.
IGNORE_SCHEME = "ignore-word"
#: The detail's link that resolves a disagreement between reviewers (the citation's mark key in its path).
RESOLVE_SCHEME = "resolve-marks"


def _disagreements(finding: Finding) -> list[dict]:
    items = finding.details.get("disagreements") if finding.code == DISAGREE else None
    return [d for d in items if isinstance(d, dict)] if isinstance(items, list) else []


def kind_title(code: str) -> str:
    return KIND_TITLES.get(code, code.replace("_", " ").capitalize())


def notes_text(finding: Finding) -> str:
    numbers = finding.footnotes
    if not numbers:
        return "—"
    return ", ".join(map(str, numbers[:4])) + ("…" if len(numbers) > 4 else "")


class FindingsModel(QAbstractTableModel):
    """Findings as rows: severity, kind, notes, the finding's sentence; in the order of the column sorted by.

    The model sorts itself, with Python's sort over one key per finding: a sort proxy's ``lessThan``,
    two ``data`` calls per comparison, took seconds at book scale, once more for every reset.
    """

    SEVERITY, KIND, NOTES, MESSAGE = range(4)
    HEADERS = ("Severity", "Kind", "Notes", "Finding")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._audit_order: list[Finding] = []  # as the audit gave them
        self._findings: list[Finding] = []  # the rows: sorted by self._sort
        self._sort: tuple[int, Qt.SortOrder] = (self.SEVERITY, Qt.SortOrder.AscendingOrder)
        self._rows: dict[str, int] = {}
        self._rows_of_note: dict[int, list[int]] = {}
        self._footnote: int | None = None
        self._tint: tuple[QBrush, QBrush] | None = None  # the chosen note's rows: background, text
        self._icons: dict[str, QIcon] = {}

    def set_findings(self, findings: list[Finding], palette: QPalette, style: QStyle) -> None:
        """All the rows at once, sorted as they are shown: one reset."""
        self.beginResetModel()
        self._audit_order = list(findings)
        self._arrange()
        finding = mark(palette, "finding")
        self._tint = (QBrush(finding.background), QBrush(finding.text))
        pixmaps = {ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
                   WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
                   INFO: QStyle.StandardPixmap.SP_MessageBoxInformation}
        self._icons = {s: style.standardIcon(p) for s, p in pixmaps.items()}
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by *column*: by severity, findings of one kind together (then in the audit's
        order, by note); by kind; by first note; by sentence. Rows held by views follow their finding."""
        if (column, order) == self._sort or not 0 <= column < len(self.HEADERS):
            return
        self._sort = (column, order)
        if not self._findings:
            return
        self.layoutAboutToBeChanged.emit()
        held = self.persistentIndexList()
        keys = [self._findings[index.row()].key for index in held]
        self._arrange()
        self.changePersistentIndexList(
            held, [self.index(self._rows[key], index.column()) for index, key in zip(held, keys, strict=True)])
        self.layoutChanged.emit()

    def _arrange(self) -> None:
        column, order = self._sort
        if column == self.SEVERITY:
            rank = {severity: n for n, severity in enumerate(SEVERITIES)}
            keys: list[tuple] = [(rank.get(f.severity, len(rank)), kind_title(f.code)) for f in self._audit_order]
        elif column == self.KIND:
            keys = [(f.code,) for f in self._audit_order]
        elif column == self.NOTES:
            keys = [(f.footnotes[0] if f.footnotes else 10**9,) for f in self._audit_order]
        else:
            keys = [(f.message,) for f in self._audit_order]
        # The audit's order breaks ties, both ways (as a stable sort would ascending, reversed descending).
        rows = sorted(range(len(keys)), key=lambda i: (keys[i], i), reverse=order == Qt.SortOrder.DescendingOrder)
        self._findings = [self._audit_order[i] for i in rows]
        self._rows = {f.key: row for row, f in enumerate(self._findings)}
        self._rows_of_note = {}
        for row, f in enumerate(self._findings):
            for number in dict.fromkeys(f.footnotes):
                self._rows_of_note.setdefault(number, []).append(row)

    def finding(self, row: int) -> Finding:
        return self._findings[row]

    def row_of(self, key: str) -> int | None:
        return self._rows.get(key)

    @property
    def current_footnote(self) -> int | None:
        return self._footnote

    def set_current_footnote(self, number: int | None) -> None:
        """Tint the rows that concern note *number*: only those rows change, and only their background."""
        if number == self._footnote:
            return
        old = self._rows_of_note.get(self._footnote, []) if self._footnote is not None else []
        new = self._rows_of_note.get(number, []) if number is not None else []
        self._footnote = number
        rows = sorted(set(old) | set(new))
        start = 0
        for i in range(1, len(rows) + 1):  # one signal per run of neighbouring rows
            if i == len(rows) or rows[i] != rows[i - 1] + 1:
                self.dataChanged.emit(self.index(rows[start], 0), self.index(rows[i - 1], len(self.HEADERS) - 1),
                                      [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole])
                start = i

    # -- Qt's model interface -----------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._findings)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._findings):
            return None
        f, column = self._findings[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (SEVERITY_TITLES.get(f.severity, f.severity), kind_title(f.code), notes_text(f),
                    f.message)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.KIND:
                return tooltip(f"{kind_title(f.code)} ({f.code})")
            if column == self.NOTES and f.footnotes:
                return tooltip(f"Note{'s' * (len(f.footnotes) > 1)} {', '.join(map(str, f.footnotes))}")
            return tooltip(f.message) if column == self.MESSAGE else None
        if role == Qt.ItemDataRole.DecorationRole and column == self.SEVERITY:
            return self._icons.get(f.severity)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            if self._tint is None or self._footnote is None or self._footnote not in f.footnotes:
                return None
            return self._tint[0 if role == Qt.ItemDataRole.BackgroundRole else 1]
        if role == KEY_ROLE:
            return f.key
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None


class FindingsFilter(QSortFilterProxyModel):
    """Findings of one severity and one kind (None: any), in the model's order: sorting a column sorts
    the model (:meth:`FindingsModel.sort`), never this proxy, which calls no Python to compare rows.

    Not dynamic: the only data that changes after a reset is the tint, which moves no row. Filters are
    asked for explicitly.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(False)
        self.severity: str | None = None
        self.code: str | None = None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if model is not None:
            model.sort(column, order)

    def set_filter(self, severity: str | None, code: str | None) -> None:
        if (severity, code) != (self.severity, self.code):
            self.beginFilterChange()
            self.severity, self.code = severity, code
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, FindingsModel)
        finding = model.finding(source_row)
        return (self.severity in (None, finding.severity)) and (self.code in (None, finding.code))


class AuditPanel(QWidget):
    """The findings, their filters, and the chosen one in full with the marks of its notes."""

    def __init__(
        self, corpus: Corpus, state: ExplorerState, audit: AuditJob, marks: MarkBook,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._corpus = corpus
        self._state = state
        self._audit = audit
        self._marks = marks
        self.resolve_dialog: ResolveDialog | None = None
        self.model = FindingsModel(self)
        self.proxy = FindingsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.shown: Finding | None = None  # the finding in the detail view
        self._filtering = False
        # A note or a finding was chosen elsewhere while the panel was hidden: caught up when shown.
        self._footnote_stale = self._finding_stale = False

        self.severity_filter = QComboBox(self)
        self.severity_filter.setAccessibleName("Show findings of severity")
        self.kind_filter = QComboBox(self)
        self.kind_filter.setAccessibleName("Show findings of kind")
        self.kind_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.count = QLabel(self)
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        filters = QHBoxLayout()
        filters.setContentsMargins(8, 4, 8, 4)
        filters.addWidget(self.severity_filter)
        filters.addWidget(self.kind_filter)
        filters.addWidget(self.count, 1)

        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Audit findings")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(FindingsModel.SEVERITY, Qt.SortOrder.AscendingOrder)
        self.view.setWordWrap(False)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(False)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column in (FindingsModel.SEVERITY, FindingsModel.KIND, FindingsModel.NOTES):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FindingsModel.MESSAGE, QHeaderView.ResizeMode.Stretch)
        list_side = QWidget(self)
        list_layout = QVBoxLayout(list_side)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.setSpacing(0)
        list_layout.addLayout(filters)
        list_layout.addWidget(self.view, 1)

        self.detail = LocalBrowser(self)
        self.detail.setFrameShape(QFrame.Shape.NoFrame)
        self.detail.setAccessibleName("The chosen finding")
        self.detail.document().setDocumentMargin(10)
        self.verification = VerificationSection(marks, max_rows_height=180, parent=self)
        detail_side = QWidget(self)
        detail_side.setAutoFillBackground(True)
        detail_side.setBackgroundRole(QPalette.ColorRole.Base)
        detail_layout = QVBoxLayout(detail_side)
        detail_layout.setContentsMargins(0, 0, 10, 6)
        detail_layout.addWidget(self.detail, 1)
        detail_layout.addWidget(self.verification)
        self.verification.setContentsMargins(10, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(list_side)
        self.splitter.addWidget(detail_side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        self.waiting = QLabel("Checking the essay’s citations…", self)
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.waiting.setTextFormat(Qt.TextFormat.PlainText)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.waiting)
        self.pages.addWidget(self.splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.setFocusProxy(self.view)

        # Selection, not the current index: focusing the table or filtering out the chosen row
        # moves the current index, and neither should move the reader.
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.view.clicked.connect(self._on_chosen)
        self.view.activated.connect(self._on_chosen)
        self.severity_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.kind_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.detail.anchorClicked.connect(self._on_link)
        self.verification.link_activated.connect(self._state.select_link)
        state.finding_selected.connect(self._on_finding_selected)
        state.corpus_changed.connect(self._on_corpus_changed)
        state.footnote_selected.connect(self._on_footnote_selected)
        audit.finished.connect(self._on_audit_finished)
        audit.failed.connect(self._on_audit_failed)
        audit.review_changed.connect(self._on_review_changed)
        if audit.findings is not None:
            self._on_audit_finished()

    def set_zoom(self, percent: int) -> None:
        self.setFont(ui_font(percent))

    def sizeHint(self) -> QSize:
        return QSize(900, 270)

    # -- filling --------------------------------------------------------------------------
    def _on_audit_finished(self) -> None:
        findings = self._audit.findings or []
        self.model.set_findings(findings, self.palette(), self.style())
        self.model.set_current_footnote(self._state.footnote)
        self._fill_filters(findings)
        self.pages.setCurrentWidget(self.splitter)
        self._update_count()
        if not findings:
            self.detail.setHtml("<p>The audit found nothing to check in this essay’s citations.</p>")
            self.verification.hide()
        elif self._state.finding:
            self._follow_finding(self._state.finding)
        else:
            self._show(None)

    def _on_review_changed(self) -> None:
        shown = self.shown
        self._on_audit_finished()
        if shown is not None and shown.code == DISAGREE and self._audit.finding(shown.key) is None:
            self.detail.setHtml("<p>Resolved: the reviewers’ marks on these citations no longer disagree. "
                                "Each mark, the resolution included, is kept in its history.</p>")

    def _on_audit_failed(self, error: str) -> None:
        self.waiting.setText(f"The audit could not run ({error}). The rest of the window works as before.")
        self.waiting.setWordWrap(True)

    def _fill_filters(self, findings: list[Finding]) -> None:
        for combo in (self.severity_filter, self.kind_filter):
            combo.blockSignals(True)
            combo.clear()
        self.severity_filter.addItem(f"All severities ({len(findings)})", None)
        for severity in SEVERITIES:
            n = sum(1 for f in findings if f.severity == severity)
            if n:
                self.severity_filter.addItem(f"{SEVERITY_PLURALS[severity]} ({n})", severity)
        self.kind_filter.addItem(f"All kinds ({len(findings)})", None)
        codes: dict[str, int] = {}
        for f in findings:
            codes[f.code] = codes.get(f.code, 0) + 1
        for code, n in sorted(codes.items(), key=lambda item: kind_title(item[0])):
            self.kind_filter.addItem(f"{kind_title(code)} ({n})", code)
            self.kind_filter.setItemData(self.kind_filter.count() - 1, code, Qt.ItemDataRole.ToolTipRole)
        for combo in (self.severity_filter, self.kind_filter):
            combo.blockSignals(False)

    def set_filter(self, severity: str | None = None, code: str | None = None) -> None:
        """Show only findings of *severity* and *code* (None: any), as the combo boxes do."""
        self.severity_filter.setCurrentIndex(max(self.severity_filter.findData(severity), 0))
        self.kind_filter.setCurrentIndex(max(self.kind_filter.findData(code), 0))

    def _on_filter_changed(self, _index: int) -> None:
        # While rows go, the view moves its selection to a neighbour, inside the proxy's
        # update: that is not the reader's choice, and the proxy must not be asked anything then.
        self._filtering = True
        try:
            self.proxy.set_filter(self.severity_filter.currentData(), self.kind_filter.currentData())
        finally:
            self._filtering = False
        self._update_count()
        if self._state.finding:
            self._select_row(self._state.finding)
        else:
            self.view.clearSelection()

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        self.count.setText(f"{total} finding{'s' * (total != 1)}" if shown == total else f"{shown} of {total} shown")

    def visible_keys(self) -> list[str]:
        """The keys of the rows shown, top to bottom."""
        return [self.proxy.index(r, 0).data(KEY_ROLE) for r in range(self.proxy.rowCount())]

    # -- choosing ---------------------------------------------------------------------------
    def select_key(self, key: str) -> bool:
        """Choose the finding *key* as a reader would; False if no row shows it."""
        index = self._proxy_index(key)
        if index is None:
            return False
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self._on_chosen(index)
        return True

    def _proxy_index(self, key: str) -> QModelIndex | None:
        row = self.model.row_of(key)
        if row is None:
            return None
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        return index if index.isValid() else None

    def _on_selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        chosen = selected.indexes()
        if chosen and not self._filtering:
            self._on_chosen(chosen[0])

    def _on_chosen(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        finding = self.model.finding(self.proxy.mapToSource(index).row())
        self._show(finding)
        if finding.key != self._state.finding:
            self._state.select_finding(finding)

    def _select_row(self, key: str) -> None:
        index = self._proxy_index(key)
        if index is None:
            self.view.clearSelection()
            return
        if self.view.currentIndex().row() != index.row() or not self.view.selectionModel().isRowSelected(index.row()):
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)

    # -- following the state ------------------------------------------------------------------
    def _on_corpus_changed(self, corpus: Corpus) -> None:
        """An edit: the finding shown names the records as they are now (the audit runs again soon)."""
        self._corpus = corpus
        if self.shown is not None:
            self._show(self.shown)

    def _on_finding_selected(self, key: str) -> None:
        if not self.isVisible():
            self._finding_stale = True
            return
        self._follow_finding(key)

    def _follow_finding(self, key: str) -> None:
        finding = self._audit.finding(key)
        if finding is None:
            self.view.clearSelection()  # the reader moved on; the finding stays shown below
            return
        self._select_row(key)
        self._show(finding)

    def _on_footnote_selected(self, number: int) -> None:
        if not self.isVisible():  # hidden (its dock closed, or behind another tab): nothing to tint yet
            self._footnote_stale = True
            return
        self._follow_footnote(number)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._footnote_stale:
            self._footnote_stale = False
            self._follow_footnote(self._state.footnote or 0)
        if self._finding_stale:
            self._finding_stale = False
            self._follow_finding(self._state.finding or "")

    def _follow_footnote(self, number: int) -> None:
        self.model.set_current_footnote(number or None)
        if number and not self._state.finding:
            first = next((i for f in self._audit.by_footnote.get(number, ())
                          if (i := self._proxy_index(f.key)) is not None), None)
            if first is not None:
                self.view.scrollTo(first)

    # -- the chosen finding ---------------------------------------------------------------------
    def _show(self, finding: Finding | None) -> None:
        self.shown = finding
        palette = self.palette()
        grey = muted(palette).name()
        self.detail.document().setDefaultStyleSheet(
            f"{link_css(palette)} .muted {{ color: {grey}; }} p {{ margin-bottom: 6px; }}")
        if finding is None:
            self.detail.setHtml('<p class="muted">Choose a finding to open its note, passage and document, '
                                "and to mark the citations you have checked.</p>")
            self.verification.show_message("")
            self.verification.hide()
            return
        colour = {ERROR: alert(palette), WARNING: caution(palette)}.get(finding.severity, muted(palette)).name()
        severity = SEVERITY_TITLES.get(finding.severity, finding.severity)
        parts = [f'<p><span style="color:{colour}; font-weight:600">{esc(severity)}</span>'
                 f'<span class="muted"> · {esc(kind_title(finding.code))} · {esc(finding.code)}</span></p>',
                 f"<p>{esc(self._sentence(finding))}</p>"]
        where = [link("fn", n, f"note {n}") for n in finding.footnotes]
        where += [link("passage", p, f"¶ {self._corpus.passage(p).index + 1}")  # type: ignore[union-attr]
                  for p in finding.passages if self._corpus.passage(p)]
        where += [link("doc", d, self._corpus.document_by_id[d].title)
                  for d in finding.documents if d in self._corpus.document_by_id]
        if where:
            parts.append(f'<p><span class="muted">Go to </span>{" · ".join(where)}</p>')
        word = finding.details.get("word") if finding.code == "SPELLING" else None
        if isinstance(word, str) and word:
            href = QUrl()
            href.setScheme(IGNORE_SCHEME)
            href.setPath(word)
            parts.append(f'<p><a href="{esc(href.toString(QUrl.ComponentFormattingOption.FullyEncoded))}">'
                         f"Add “{esc(word)}” to this corpus’s spelling list</a>"
                         '<span class="muted"> (spelling-ignore.txt; the audit runs again)</span></p>')
        if finding.code == DISAGREE:  # each reviewer's mark is in the table: the detail gets the room
            self.detail.setHtml("".join([*parts[:2], *self._disagreement_html(finding), *parts[2:]]))
            self.verification.hide()
            return
        self.detail.setHtml("".join(parts))
        self.verification.show()
        notes = self._audit.notes
        if notes is None:
            self.verification.show_message("Reading the notes…")
        elif not finding.footnotes:
            self.verification.show_message("This finding concerns the essay’s text, not a note’s citations.")
        else:
            self.verification.show_targets(finding_targets(finding, notes, self._corpus), self._audit.notes_of_key,
                                           grouped=len(finding.footnotes) > 1)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        if event.type() == QEvent.Type.PaletteChange and self._audit.findings is not None:
            self.model.set_findings(self._audit.findings, self.palette(), self.style())  # icons and tint
            if self._state.finding:
                self._select_row(self._state.finding)
            self._show(self.shown)

    @staticmethod
    def _sentence(finding: Finding) -> str:
        """The finding's sentence; for a disagreement a short one: who said what follows in a table."""
        if finding.code != DISAGREE:
            return finding.message
        count = len(_disagreements(finding))
        return (f"Reviewers marked {count} citation{'s' * (count != 1)} differently. Resolve each with the status "
                "that holds and a note saying why; the marks stay in the history.")

    def _disagreement_html(self, finding: Finding) -> list[str]:
        """Who said what on each citation, and a link to resolve it."""
        parts = []
        for item in _disagreements(finding):
            href = QUrl()
            href.setScheme(RESOLVE_SCHEME)
            href.setPath(str(item.get("key", "")))
            rows = "".join(
                f"<tr><td>{esc(p.get('reviewer') or 'unknown')}&nbsp;</td><td>{esc(p.get('status'))}&nbsp;</td>"
                f"<td>{esc(p.get('note') or '')}</td></tr>" for p in item.get("positions", ()))
            parts.append(f"<p><b>{esc(item.get('label') or item.get('key'))}</b> "
                         f'<a href="{esc(href.toString(QUrl.ComponentFormattingOption.FullyEncoded))}">Resolve…</a>'
                         f"</p><table>{rows}</table>")
        return parts

    def resolve(self, key: str) -> ResolveDialog | None:
        """Open the dialog that resolves the shown disagreement on the citation *key*."""
        finding = self.shown
        item = next((d for d in _disagreements(finding) if d.get("key") == key), None) if finding else None
        if finding is None or item is None:
            return None
        notes = self._audit.notes or {}
        target = next((t for t in finding_targets(finding, notes, self._corpus) if t.key == key), None)
        if target is None:  # a citation the essay no longer has: the mark stays on its old note
            target = MarkTarget(finding.footnotes[0] if finding.footnotes else 0, key, str(item.get("label") or key),
                                "")
        dialog = self.resolve_dialog = ResolveDialog(self._marks, target, item.get("positions", ()), self)
        dialog.open()
        return dialog

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == RESOLVE_SCHEME:
            self.resolve(url.path())
            return
        if url.scheme() == IGNORE_SCHEME:
            problem = self._audit.ignore_word(url.path())
            if problem:
                self.detail.append(f"<p>{esc(problem)}</p>")
            return
        self._state.select_link(url.toString())

