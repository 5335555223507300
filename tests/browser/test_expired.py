"""A page whose kernel is gone (culled after a long pause, or the server restarted) says so in Dutch
and offers a reload, instead of silently dropping every click (voila#67)."""

from __future__ import annotations

import tempfile

import pytest
from playwright.sync_api import expect

from tests.server import free_port, running_server

pytestmark = pytest.mark.browser


def test_page_of_a_lost_kernel_shows_a_dutch_banner_and_reloads(page, stip_env):
    env = {**stip_env, "STIP_DATA": tempfile.mkdtemp(prefix="stip-restart-")}
    port = free_port()
    with running_server(env, port=port) as (base, _log):
        page.goto(base + "/")
        expect(page.get_by_role("button", name="Voorbeeldschool laden")).to_be_visible()
    with running_server(env, port=port):  # the same address, but the page's kernel no longer exists
        banner = page.get_by_role("alert")
        for _ in range(60):  # the page checks every 20 s and whenever the window gets focus
            page.evaluate("window.dispatchEvent(new Event('focus'))")
            if banner.count():
                break
            page.wait_for_timeout(500)
        expect(banner).to_contain_text("Deze pagina is verlopen")
        page.get_by_role("button", name="Pagina herladen").click()
        expect(page.get_by_role("button", name="Voorbeeldschool laden")).to_be_visible()
        expect(page.get_by_role("alert")).to_have_count(0)
