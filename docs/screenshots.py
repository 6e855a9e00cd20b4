"""Screenshots of the example kommun's home page, at 1280 and 375 px wide, for docs/.

    .venv/bin/python docs/screenshots.py [--out docs/bilder] [--day 2026-12-07]

Builds examples/kommun as it stands on ``--day`` into a temporary folder, serves it on
loopback and photographs its home page in Debian's Chromium (the browser the tests drive), with
the page's clock set to that day, so that the board's notices and the next meetings are those
of the day the build was made for. Run it again after a change to the look; the suite never
writes into the repository, so it does not run this.
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from justerat.app.audit import CHROMIUM, CHROMIUM_ARGS, served

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = {"1280": (1280, 900), "375": (375, 812)}


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--out", type=Path, default=ROOT / "docs" / "bilder")
    options.add_argument("--day", default="2026-12-07", help="the day built and visited")
    args = options.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "build.py"),
                "build",
                "--content",
                str(ROOT / "examples" / "kommun"),
                "--out",
                str(site),
                "--today",
                args.day,
            ],
            check=True,
            capture_output=True,
        )
        noon = datetime.datetime.fromisoformat(f"{args.day}T12:00:00+01:00")
        with served(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for name, (width, height) in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.clock.set_fixed_time(noon)
                page.goto(base)
                target = args.out / f"startsida-{name}.png"
                page.screenshot(path=str(target), full_page=name == "375")
                print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                page.close()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
