"""What a search costs the reader: Justerat's own index against Pagefind over the same pages.

    .venv/bin/python benchmarks/search_transfer.py SITE [--query Q ...]

SITE is a site built by Justerat (`build --no-pdf`), with its index in `sok/index/`. The script
runs Pagefind 1.5.2 (from compare.py's peers, installed there if missing) over the same pages
(those that mark a search document, from the same root element) into `SITE/_pagefind/`, serves
SITE locally, and for each query opens a fresh Chromium context (a cold cache) and runs the
search the way each search page does until its first ten results can be shown: Justerat's
engine (`open`, `search`, `documents` of the first ten) and Pagefind's (`init`, `search`, `data()`
of the first ten). It prints, per query, the hits, the files fetched, the bytes transferred
(response bodies, scripts and WebAssembly included) and the time to the first ten results.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from compare import PEERS, install_peers  # noqa: E402

from justerat.app.audit import CHROMIUM, CHROMIUM_ARGS, served  # noqa: E402

QUERIES = [
    "styrelsen",
    "bastu",
    "budget",
    "ar",
    "arb",
    "kommun",
    "beslut budget",
    "verksamhetsplan",
]

OURS = """async (query) => {
  const started = performance.now();
  const index = await JusteratSearch.open('/sok/index/');
  const result = await index.search(query, {organ: '', ar: '', typ: ''}, 'relevans');
  await index.documents(result.documents.slice(0, 10), result.query);
  return {hits: result.documents.length, ms: performance.now() - started};
}"""

THEIRS = """async (query) => {
  const started = performance.now();
  const pagefind = await import('/_pagefind/pagefind.js');
  await pagefind.init();
  const search = await pagefind.search(query);
  await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  return {hits: search.results.length, ms: performance.now() - started};
}"""


def index_with_pagefind(site: Path) -> None:
    if not (PEERS / "bin/python").exists():
        install_peers()
    subprocess.run(
        [
            str(PEERS / "bin/python"), "-m", "pagefind", "--site", str(site),
            "--output-subdir", "_pagefind", "--root-selector", "[data-search-doc]",
            "--glob", "{protokoll,planer,anslag,sammantraden,ledamoter}/**/*.html",
            "--force-language", "sv", "--quiet",
        ],
        check=True,
    )  # fmt: skip


def measure(browser, base: str, script: str, query: str, engine: bool) -> dict[str, float]:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/404.html")
    sizes: list[int] = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    if engine:
        page.add_script_tag(url=f"{base}/assets/sok-index.js")
    found = page.evaluate(script, query)
    context.close()
    return {"hits": found["hits"], "files": len(sizes), "bytes": sum(sizes), "ms": found["ms"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", action="append")
    args = parser.parse_args()
    site = args.site.resolve()
    if not (site / "_pagefind/pagefind.js").is_file():
        index_with_pagefind(site)
    size = {
        name: sum(f.stat().st_size for f in (site / folder).rglob("*") if f.is_file())
        for name, folder in (("Justerat", "sok/index"), ("Pagefind", "_pagefind"))
    }
    print(f"published index: Justerat {size['Justerat'] / 1e6:.1f} MB, "
          f"Pagefind {size['Pagefind'] / 1e6:.1f} MB")  # fmt: skip
    from playwright.sync_api import sync_playwright

    print(f"{'query':<18}{'engine':<10}{'hits':>7}{'files':>7}{'kB':>9}{'ms':>8}")
    with served(site) as root, sync_playwright() as playwright:
        base = root.rstrip("/")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for query in args.query or QUERIES:
            for name, script, engine in (("Justerat", OURS, True), ("Pagefind", THEIRS, False)):
                best = min(
                    (measure(browser, base, script, query, engine) for _ in range(3)),
                    key=lambda m: m["ms"],
                )
                print(
                    f"{query:<18}{name:<10}{best['hits']:>7.0f}{best['files']:>7.0f}"
                    f"{best['bytes'] / 1000:>9.1f}{best['ms']:>8.0f}"
                )
        browser.close()


if __name__ == "__main__":
    main()
