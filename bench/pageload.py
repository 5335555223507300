"""Home page against a bare Voilà notebook with one button, same server, same run (DESIGN §7).

Prints (a) time to the first interactive widget and (b) kernel memory (RSS), each as the ratio
Stip / bare of the medians. Loads are interleaved, no preheat; run with `make bench`.
Targets: (a) <= 1.3, (b) <= 1.3.
"""

from __future__ import annotations

import argparse
import time
from statistics import median

from common import CHROMIUM_FLAGS, bench_server, kernel_id_of, kernel_rss_mib, machine, summary
from playwright.sync_api import sync_playwright

PAGES = {
    "bare": ("Bare.ipynb", "button.jupyter-button"),
    "start": ("Start.ipynb", ".stip-start .stip-role a"),
}
# Other workbooks, measured with --all (same yardstick; not part of the two ratios).
MORE = {
    "klassen": ("Klassen.ipynb", ".stip-screen .widget-dropdown select"),
    "startgesprek": ("Startgesprek.ipynb", ".stip-screen .widget-dropdown select"),
    "gouden_mail": ("Gouden_mail.ipynb", ".stip-screen .widget-dropdown select"),
    "moeilijk_gesprek": ("Moeilijk_gesprek.ipynb", ".stip-screen :is(button, select, input) >> visible=true"),
    "teamscan": ("Teamscan.ipynb", ".stip-screen :is(button, select, input) >> visible=true"),
    "ouderplan": ("Ouderplan.ipynb", ".stip-screen :is(button, select, input) >> visible=true"),
    "kenniskring": ("Kenniskring.ipynb", ".stip-screen :is(button, select, input) >> visible=true"),
}


def load(browser, base: str, name: str) -> tuple[float, float]:
    notebook, selector = PAGES[name]
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    started = time.perf_counter()
    page.goto(f"{base}/voila/render/{notebook}", wait_until="commit")
    page.locator(selector).first.wait_for(state="visible", timeout=60_000)
    seconds = time.perf_counter() - started
    time.sleep(1.0)  # let the kernel settle before reading its memory
    rss = kernel_rss_mib(kernel_id_of(page))
    context.close()
    return seconds, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--all", action="store_true", help="also the other workbooks (on the demo school)")
    args = parser.parse_args()
    if args.all:
        PAGES.update(MORE)
    times = {name: [] for name in PAGES}
    memory = {name: [] for name in PAGES}
    with bench_server(demo=args.all) as (base, _data), sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        load(browser, base, "bare")  # warm the server's template cache once, not counted
        for _ in range(args.rounds):
            for name in PAGES:
                seconds, rss = load(browser, base, name)
                times[name].append(seconds)
                memory[name].append(rss)
        browser.close()
    print(f"machine: {machine()}")
    for name in PAGES:
        print(f"{name:6} first widget s: {summary(times[name])}; kernel RSS MiB: {summary(memory[name])}")
    for name in PAGES:
        if name != "bare":
            ratio_time = median(times[name]) / median(times["bare"])
            ratio_rss = median(memory[name]) / median(memory["bare"])
            print(f"{name:16} / bare: first widget {ratio_time:.2f}, kernel RSS {ratio_rss:.2f}")
    print(
        f"(a) home page time to first widget / bare: {median(times['start']) / median(times['bare']):.2f}"
        " (target <= 1.3)"
    )
    print(
        f"(b) home page kernel RSS / bare: {median(memory['start']) / median(memory['bare']):.2f}"
        " (target <= 1.3)"
    )


if __name__ == "__main__":
    main()
