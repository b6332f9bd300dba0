"""Take the screenshots of docs/report.md from a real report, in headless Chromium.

    sh scripts/install-browser && python scripts/screenshots.py

Renders the report of the Minneapolis (Pretti) shooting, opens it in the system Chromium
through Playwright (no browser download), and writes the PNGs docs/report.md shows into
docs/images/. Run it again whenever the report's look changes, and commit the images.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "incidents" / "minneapolis-pretti-2026-01-24.yaml"
#: The what-if picture: start from the witnesses' account and give the decisive disputed
#: fact the value the agency gives it.
START, FLIPPED = "Account witnesses", ("subject_threatened_deadly_force", "true")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Modest sizes keep the committed PNGs small.
WIDTH, MAX_HEIGHT = 960, 560


def shoot(page: Any, selector: str, path: Path) -> None:
    """A picture of the element ``selector``, cut at MAX_HEIGHT."""
    # At the top of the page, the element's box is in page coordinates, as a full-page
    # screenshot's clip wants them.
    page.evaluate("window.scrollTo(0, 0)")
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    clip = {
        "x": max(box["x"] - 8, 0),
        "y": max(box["y"] - 8, 0),
        "width": min(box["width"] + 16, WIDTH),
        "height": min(box["height"] + 16, MAX_HEIGHT),
    }
    page.screenshot(path=str(path), clip=clip, full_page=True)
    print(f"wrote {path.relative_to(ROOT)}")


def main() -> int:
    """Write the screenshots; exit 1 if the browser or Playwright is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="the browser to drive")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    if not Path(args.chromium).exists():
        print(f"error: no browser at {args.chromium}", file=sys.stderr)
        print("help: run `sh scripts/install-browser`", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright
    from typer.testing import CliRunner

    from forcecheck.cli import app

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        report = Path(work) / "report.html"
        result = CliRunner().invoke(app, ["report", str(SCENARIO), "-o", str(report)])
        if result.exit_code != 0:
            print(result.stderr, file=sys.stderr)
            return 1
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=ARGS)
            page = browser.new_page(viewport={"width": WIDTH, "height": 700})
            page.goto(report.as_uri())
            shoot(page, "header", args.out / "report-header.png")
            shoot(page, 'section[aria-labelledby="h-outcome"]', args.out / "report-outcome.png")
            shoot(page, "#h-disputes ~ .wide", args.out / "report-disputes.png")
            shoot(page, "main ul.tree", args.out / "report-conditions.png")
            fact, value = FLIPPED
            page.select_option(
                "#fc-start",
                label=next(
                    label
                    for label in page.locator("#fc-start option").all_text_contents()
                    if label.startswith(START)
                ),
            )
            page.click(f'fieldset[data-fact="{fact}"] input[value="{value}"]')
            shoot(page, 'section[aria-labelledby="h-whatif"]', args.out / "report-whatif.png")
            shoot(page, "#h-whatif-tree + ul.tree", args.out / "report-whatif-tree.png")
            page.emulate_media(media="print")
            shoot(page, 'section[aria-labelledby="h-sources"]', args.out / "report-print.png")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
