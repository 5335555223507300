"""Stip: the domain of parent involvement (ouderbetrokkenheid) — no ipywidgets here."""

__version__ = "0.1.0"
