"""Screens and reusable components of Stip, built on ipywidgets (no database access in components)."""
