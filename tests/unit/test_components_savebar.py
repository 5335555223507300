"""SaveBar: the states a teacher sees under a form, without a browser."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from stip.i18n import t
from widgets.components.savebar import SaveBar


def visible(widget) -> bool:
    return widget.layout.display != "none"


def test_starts_hidden_and_clean():
    bar = SaveBar()
    assert not visible(bar)
    assert bar.text == "" and not bar.dirty and bar.status == ""
    assert "stip-savebar" in bar._dom_classes


def test_saved_shows_amsterdam_time_and_clears_dirty():
    bar = SaveBar()
    bar.dirty = True
    bar.saved(datetime(2025, 1, 15, 9, 42, tzinfo=UTC))  # winter: UTC+1
    assert bar.text == "Opgeslagen om 10:42"
    assert bar.status == "saved" and not bar.dirty
    assert visible(bar) and not visible(bar._reload)
    assert "stip-savebar--saved" in bar._dom_classes
    assert "Opgeslagen om 10:42" in bar._text.value


def test_saved_in_summer_and_other_zones():
    bar = SaveBar()
    bar.saved(datetime(2025, 6, 2, 8, 5, tzinfo=UTC))  # summer: UTC+2
    assert bar.text == "Opgeslagen om 10:05"
    bar.saved(datetime(2025, 6, 2, 4, 5, tzinfo=timezone(timedelta(hours=-4))))
    assert bar.text == "Opgeslagen om 10:05"


def test_saved_refuses_a_naive_time():
    with pytest.raises(ValueError):
        SaveBar().saved(datetime(2025, 1, 15, 9, 42))


def test_error_keeps_dirty_and_escapes_text():
    bar = SaveBar()
    bar.dirty = True
    bar.error("<img src=x onerror=alert(1)>")
    assert bar.status == "error" and bar.dirty
    assert "stip-savebar--error" in bar._dom_classes
    assert "<img" not in bar._text.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in bar._text.value
    assert 'role="status"' in bar._text.value and 'aria-live="polite"' in bar._text.value


def test_status_classes_are_replaced_not_added():
    bar = SaveBar()
    bar.error("x")
    bar.info("y")
    assert "stip-savebar--info" in bar._dom_classes
    assert "stip-savebar--error" not in bar._dom_classes


def test_conflict_shows_reload_and_reload_runs_callback():
    bar = SaveBar()
    bar.dirty = True
    bar.conflict()
    assert bar.status == "conflict" and bar.dirty
    assert bar.text == t("component.savebar.conflict")
    assert visible(bar._reload) and bar._reload.description == "Herladen"
    calls = []
    bar.on_reload(calls.append)
    bar._reload.click()
    assert calls == [bar._reload]
    assert bar.status == "" and not visible(bar)


def test_saving_shows_progress_then_saved():
    bar = SaveBar()
    bar.saving = True
    assert bar.text == "Bezig met opslaan…" and visible(bar)
    assert "stip-savebar--saving" in bar._dom_classes
    bar.saved(datetime(2025, 1, 15, 9, 42, tzinfo=UTC))
    assert not bar.saving and "stip-savebar--saving" not in bar._dom_classes


def test_info_then_reset_hides():
    bar = SaveBar()
    bar.dirty = True
    bar.info("Demo geladen")
    assert bar.text == "Demo geladen" and bar.status == "info"
    bar.reset()
    assert not visible(bar) and bar.message == "" and bar.dirty
