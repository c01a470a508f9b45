"""The main window's pages, each built the first time it is shown or asked for.

Building a page sets up its table model, header and detail pane; doing that for every page at
start-up cost about a tenth of a second before the first data could be painted, for pages the
user may never open in that session."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QStackedWidget, QWidget

if TYPE_CHECKING:
    from citypartner_desktop.ui.pages.record_page import RecordPage

PageHook = Callable[["RecordPage"], None]


class PageSet(Mapping[str, "RecordPage"]):
    """Kind → page. Looking a page up builds it if needed; ``built()`` lists only those built
    (saving their state must not build the others)."""

    def __init__(self, stack: QStackedWidget) -> None:
        self._stack = stack
        self._kinds: tuple[str, ...] = ()
        self._build: Callable[[str], RecordPage] | None = None
        self._pages: dict[str, RecordPage] = {}
        self._placeholders: dict[str, QWidget] = {}
        self._hooks: list[PageHook] = []

    def attach(self, kinds: tuple[str, ...], build: Callable[[str], RecordPage]) -> None:
        """One placeholder per kind in the stack, so indexes match the sidebar from the start."""
        self._kinds, self._build = kinds, build
        for kind in kinds:
            placeholder = QWidget(self._stack)
            self._placeholders[kind] = placeholder
            self._stack.addWidget(placeholder)

    def when_built(self, hook: PageHook) -> None:
        """Run ``hook`` on every page, now for those built and later for the rest."""
        self._hooks.append(hook)
        for page in self._pages.values():
            hook(page)

    def built(self) -> list[RecordPage]:
        return list(self._pages.values())

    def __getitem__(self, kind: str) -> RecordPage:
        page = self._pages.get(kind)
        if page is not None:
            return page
        if kind not in self._kinds or self._build is None:
            raise KeyError(kind)
        page = self._build(kind)
        self._pages[kind] = page
        placeholder = self._placeholders.pop(kind)
        index = self._stack.indexOf(placeholder)
        showing = self._stack.currentIndex() == index
        self._stack.insertWidget(index, page)
        self._stack.removeWidget(placeholder)
        placeholder.deleteLater()
        if showing:
            self._stack.setCurrentIndex(index)
        for hook in self._hooks:
            hook(page)
        return page

    def __iter__(self) -> Iterator[str]:
        return iter(self._kinds)

    def __len__(self) -> int:
        return len(self._kinds)
