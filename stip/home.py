"""What the home page shows: the roles with their workbooks, and the state of the school."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, func, select

from stip import config, content
from stip.schools import Actor
from stip.store import tables as T

WORKBOOKS = config.REPO_ROOT / "workbooks"


@dataclass(frozen=True)
class WorkbookLink:
    name: str  # file name without .ipynb, e.g. "Startgesprek"
    title: str
    line: str
    exists: bool

    @property
    def href(self) -> str:
        """Relative link, so it also works under a JupyterHub prefix."""
        return f"{self.name}.ipynb"


@dataclass(frozen=True)
class Role:
    key: str
    title: str
    intro: str
    workbooks: tuple[WorkbookLink, ...]


@dataclass(frozen=True)
class SchoolSummary:
    name: str
    is_demo: bool
    students: int
    klassen: int


def roles(folder: Path = WORKBOOKS) -> list[Role]:
    """The roles from `content/<lang>/start.yaml`; a workbook is a link when its notebook exists."""
    data = content.load("start")
    books = {
        name: WorkbookLink(name, entry["title"], entry["line"], (folder / f"{name}.ipynb").exists())
        for name, entry in data["workbooks"].items()
    }
    return [
        Role(role["key"], role["title"], role["intro"], tuple(books[name] for name in role["workbooks"]))
        for role in data["roles"]
    ]


def school_summary(conn: Connection, actor: Actor) -> SchoolSummary:
    school = conn.execute(select(T.school).where(T.school.c.id == actor.school_id)).one()
    students = conn.execute(
        select(func.count()).where(T.student.c.school_id == actor.school_id, T.student.c.left_on.is_(None))
    ).scalar_one()
    klassen = conn.execute(select(func.count()).where(T.klas.c.school_id == actor.school_id)).scalar_one()
    return SchoolSummary(school.name, bool(school.is_demo), students, klassen)
