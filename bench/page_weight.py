"""What a phone downloads: bytes and layout shift of the pages residents open most.

    .venv/bin/python bench/page_weight.py [--portal belleville]

A real Chromium (Debian's, through Playwright) opens each page as a phone would: 360 px
wide, a high-density screen (device pixel ratio 3), touch. The server runs what
production runs (``DJANGO_ENV=production``, collected static files, gunicorn) on the demo
network of ``bench/pages.py``'s database. For each page it prints the bytes received on
the wire (Chrome's ``encodedDataLength``, compression included) by kind (HTML, CSS,
scripts, images, fonts, other), first as the page loads, then once the visitor has
scrolled to its end (lazy images arrive then), and the cumulative layout shift (the
``layout-shift`` entries not caused by the visitor, as the Web Vitals count them). The
goal of issue 24: the home page under 400 kB as it loads. Results go to
``var/bench/page_weight.json`` for ``bench/summary.py``.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import servers
from bench.pages import OURS_ENV, collect_static, page_type_paths, seed
from bench.results import Goal, print_goals, save_goals

CHROMIUM = "/usr/bin/chromium"
PAGES = ["home page", "article", "agenda", "classifieds list"]
KINDS = {
    "Document": "HTML",
    "Stylesheet": "CSS",
    "Script": "JS",
    "Image": "images",
    "Font": "fonts",
}
# 400 kB for the home page as it loads (issue 24), in bytes.
HOME_BUDGET = 400_000

# Layout shifts not caused by the visitor, summed as they come (CLS as Chrome counts it
# before session windows; an upper bound of the Web Vitals figure).
OBSERVE_SHIFTS = """
window.__shift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__shift += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""


@dataclass
class Weight:
    """Bytes received for one page by kind, as it loads and after scrolling to its end."""

    loaded: dict[str, int] = field(default_factory=dict)
    scrolled: dict[str, int] = field(default_factory=dict)
    shift: float = 0.0

    @staticmethod
    def total(by_kind: dict[str, int]) -> int:
        return sum(by_kind.values())


def weigh(browser, url: str) -> Weight:
    """Open ``url`` in a new phone-sized context; what it downloads and how it shifts."""
    context = browser.new_context(
        viewport={"width": 360, "height": 780},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        locale="fr-FR",
    )
    page = context.new_page()
    page.add_init_script(OBSERVE_SHIFTS)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    kinds: dict[str, str] = {}
    received: dict[str, int] = {}
    cdp.on(
        "Network.responseReceived",
        lambda event: kinds.__setitem__(event["requestId"], event.get("type", "Other")),
    )
    cdp.on(
        "Network.loadingFinished",
        lambda event: received.__setitem__(event["requestId"], int(event["encodedDataLength"])),
    )

    def by_kind() -> dict[str, int]:
        sums: dict[str, int] = {}
        for request_id, size in received.items():
            kind = KINDS.get(kinds.get(request_id, "Other"), "other")
            sums[kind] = sums.get(kind, 0) + size
        return sums

    weight = Weight()
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    weight.loaded = by_kind()
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height + 780, 600):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(100)
    page.wait_for_load_state("networkidle")
    weight.scrolled = by_kind()
    weight.shift = page.evaluate("window.__shift")
    context.close()
    return weight


def kilobytes(size: int) -> str:
    return f"{size / 1000:,.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portal", default="belleville", help="portail de démonstration mesuré")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    seed()
    collect_static()
    rows = {label: (host, path) for label, host, path in page_type_paths(args.portal)}
    host = rows["home page"][0]
    weights: dict[str, Weight] = {}
    with servers.gunicorn("core.wsgi", env=OURS_ENV, host=host) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        for label in PAGES:
            if label not in rows:
                print(f"{label}: aucune page de ce type dans {args.portal}", file=sys.stderr)
                continue
            page_host, path = rows[label]
            path = re.sub(r"^https?://[^/]+", "", path)
            url = f"http://{page_host}:{server.port}{path}"
            print(f"{url}…", file=sys.stderr)
            weights[label] = weigh(browser, url)
        browser.close()

    columns = ["HTML", "CSS", "JS", "images", "fonts", "other"]
    print(f"\nA phone (360 px, 3x screen) on {args.portal}, kB on the wire:\n")
    print("| page | as it loads | " + " | ".join(columns) + " | after scrolling | layout shift |")
    print("| --- | ---: | " + " | ".join("---:" for _ in columns) + " | ---: | ---: |")
    for label, weight in weights.items():
        cells = " | ".join(kilobytes(weight.loaded.get(kind, 0)) for kind in columns)
        print(
            f"| {label} | {kilobytes(Weight.total(weight.loaded))} | {cells} "
            f"| {kilobytes(Weight.total(weight.scrolled))} | {weight.shift:.3f} |"
        )
    goals = []
    if "home page" in weights:
        goals.append(
            Goal(
                "24. home page on a phone, as it loads",
                Weight.total(weights["home page"].loaded) / 1000,
                HOME_BUDGET / 1000,
                1.0,
                "kB",
                higher_is_better=False,
            )
        )
    print()
    print_goals(goals)
    save_goals("page_weight", goals)


if __name__ == "__main__":
    main()
