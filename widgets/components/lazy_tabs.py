"""Tabs and accordions whose panels are built the first time they are shown (fewer widgets and less
memory at page load).

`LazyTabs(titles, builders, selected)` / `LazyAccordion(titles, builders)`: `builders[i]()` returns the
panel of section i; `panel(i)` builds it on demand (also from code and tests), and opening a section
builds it. Until then a section holds an empty box.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as w

__all__ = ["FailedPanel", "LazyAccordion", "LazyTabs"]


class _Lazy:
    def _lazy_init(
        self, titles: Sequence[str], builders: Sequence[Callable[[], w.Widget]], selected, **kwargs
    ):
        self._builders = list(builders)
        self._built: dict[int, w.Widget] = {}
        super().__init__(children=tuple(w.VBox() for _ in builders), **kwargs)
        self.titles = tuple(titles)
        if selected is not None:
            self.panel(selected)
        self.selected_index = selected
        self.observe(self._on_select, names="selected_index")

    def panel(self, index: int) -> w.Widget:
        """The panel of section `index`, built now if it was not yet."""
        if index not in self._built:
            self._built[index] = self._build(index)
            children = list(self.children)
            children[index] = self._built[index]
            self.children = tuple(children)
        return self._built[index]

    def _build(self, index: int) -> w.Widget:
        """The built panel, or a `FailedPanel` with a Dutch message when its builder failed."""
        try:
            return self._builders[index]()
        except Exception as exc:
            return FailedPanel(exc, f"{type(self).__name__}[{index}]")

    def is_built(self, index: int) -> bool:
        return index in self._built

    def _on_select(self, change) -> None:
        if change["new"] is not None:
            self.panel(change["new"])


class FailedPanel(w.VBox):
    """What a section shows when building its panel failed: the message in a save bar; `refresh()` and
    any other call a screen makes on its panels do nothing."""

    def __init__(self, exc: BaseException, where: str):
        from widgets.components.handled import show_error
        from widgets.components.savebar import SaveBar

        self.savebar = SaveBar()
        show_error(self.savebar, exc, where)
        super().__init__(children=(self.savebar,))

    def refresh(self, *args, **kwargs) -> None:
        """Nothing to refresh: reloading the page builds the panel again."""


class LazyTabs(_Lazy, w.Tab):
    def __init__(self, titles, builders, selected: int = 0, **kwargs):
        self._lazy_init(titles, builders, selected, **kwargs)


class LazyAccordion(_Lazy, w.Accordion):
    def __init__(self, titles, builders, selected: int | None = None, **kwargs):
        self._lazy_init(titles, builders, selected, **kwargs)
