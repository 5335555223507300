"""Communicatieplan en afspraken (issue 15): a class chooser above five tabs — Agenda, Contact vastleggen,
Plan per gezin, Afspraken, Klas.

Each tab's panel lives in its own module and is imported when the tab is first shown (until a module
exists its tab shows the FailedPanel message). A panel is made as `Panel(screen)` and reads from the
screen: `screen.actor`, `screen.klas_id` (the class dropdown), `screen.klas_name` and `screen.student_id`
(the student in view: `?student=N`, or the one a panel chose). The screen calls `panel.refresh()` when
the class changes and when its tab is shown; `screen.show_tab("plan", student_id)` switches tab from a panel.

Query: `?klas=1A` opens that class, `?student=N` that student (in its class, tab "Plan per gezin"),
`?tab=agenda|contact|plan|afspraken|klas` that tab.
"""

from __future__ import annotations

import ipywidgets as w

from stip import klassen, store
from stip.i18n import t
from stip.schools import find_student
from widgets.components.handled import handled
from widgets.components.lazy_tabs import LazyTabs
from widgets.components.safe import safe_html
from widgets.components.savebar import SaveBar
from widgets.components.screen import Screen

__all__ = ["CommunicatieplanScreen", "show_communicatieplan"]


class CommunicatieplanScreen(Screen):
    """Class chooser above five tabs; the panels work on `klas_id` and `student_id`."""

    TAB_NAMES = ("agenda", "contact", "plan", "afspraken", "klas")
    TABS = (
        "communicatieplan.tab_agenda",
        "communicatieplan.tab_contact",
        "communicatieplan.tab_plan",
        "communicatieplan.tab_afspraken",
        "communicatieplan.tab_klas",
    )

    def build(self) -> None:
        self.student_id: int | None = self.query_int("student")
        with store.read() as conn:
            infos = klassen.klassen(conn, self.actor)
            student = find_student(conn, self.actor, self.student_id) if self.student_id else None
        if student is None:
            self.student_id = None
        self.names = {k.id: k.name for k in infos}
        wanted = student["klas_id"] if student else None
        if wanted not in self.names:
            wanted = next((k.id for k in infos if k.name == self.query.get("klas")), None)
        self.klas = w.Dropdown(
            description=t("klassen.klas_label"),
            options=[(k.name, k.id) for k in infos],
            value=wanted if wanted is not None else (infos[0].id if infos else None),
        )
        empty = w.HTML(safe_html('<p class="stip-notice">{text}</p>', text=t("communicatieplan.no_classes")))
        empty.layout.display = "none" if infos else None
        tab = self.query.get("tab", "")
        if tab in self.TAB_NAMES:
            selected = self.TAB_NAMES.index(tab)
        else:
            selected = self.TAB_NAMES.index("plan") if self.student_id is not None else 0
        builders = (
            self._build_agenda,
            self._build_contact,
            self._build_plan,
            self._build_afspraken,
            self._build_klas,
        )
        self.tabs = LazyTabs([t(key) for key in self.TABS], builders, selected=selected)
        self.savebar = SaveBar()  # what went wrong while switching class or tab
        self.children = (empty, self.klas, self.savebar, self.tabs)
        self.klas.observe(self._on_klas, names="value")
        self.tabs.observe(self._on_tab, names="selected_index")
        self.tabs.panel(selected).refresh()

    # Panels are built when their tab is first shown (or first used from code).
    agenda = property(lambda self: self.tabs.panel(0))
    contact = property(lambda self: self.tabs.panel(1))
    plan = property(lambda self: self.tabs.panel(2))
    afspraken = property(lambda self: self.tabs.panel(3))
    klas_panel = property(lambda self: self.tabs.panel(4))

    def _build_agenda(self):
        from widgets.communicatieplan_agenda import AgendaPanel

        return AgendaPanel(self)

    def _build_contact(self):
        from widgets.communicatieplan_contact import ContactPanel

        return ContactPanel(self)

    def _build_plan(self):
        from widgets.communicatieplan_plan import PlanPanel

        return PlanPanel(self)

    def _build_afspraken(self):
        from widgets.communicatieplan_afspraken import AfsprakenPanel

        return AfsprakenPanel(self)

    def _build_klas(self):
        from widgets.communicatieplan_klas import KlasPanel

        return KlasPanel(self)

    @property
    def klas_id(self) -> int | None:
        return self.klas.value

    @property
    def klas_name(self) -> str:
        return self.names.get(self.klas.value, "")

    def show_tab(self, tab: str, student_id: int | None = None) -> None:
        """Show tab `tab` ("plan", "contact", …), with `student_id` as the student in view when given (a
        panel's link "plan bekijken"); the panel is refreshed."""
        if student_id is not None:
            self.student_id = student_id
        index = self.TAB_NAMES.index(tab)
        if self.tabs.selected_index == index:
            self.tabs.panel(index).refresh()
        else:
            self.tabs.selected_index = index  # `_on_tab` refreshes it

    @handled
    def _on_klas(self, change) -> None:
        self.student_id = None  # the student in view was one of the previous class
        self.savebar.reset()
        self.tabs.panel(self.tabs.selected_index).refresh()

    @handled
    def _on_tab(self, change) -> None:
        self.tabs.panel(change["new"]).refresh()


def show_communicatieplan() -> CommunicatieplanScreen:
    return CommunicatieplanScreen()
