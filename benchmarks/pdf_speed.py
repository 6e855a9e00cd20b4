"""Seconds per PDF page, and the speed-up from rendering PDFs in parallel processes.

    .venv/bin/python benchmarks/pdf_speed.py [--protocols 20]

Renders every PDF of a generated archive (protocols, anslagsbevis, protokollsutdrag) with no
cache, first in one process, then in as many processes as the machine has cores, and prints the
time, the pages and the seconds per page of each. Numbers depend on the machine: printed, never
asserted.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from dataclasses import replace  # noqa: E402

from generate import generate  # noqa: E402

from justerat.build import pipeline  # noqa: E402
from justerat.build.options import Options  # noqa: E402
from justerat.core.cache import Cache  # noqa: E402
from justerat.pdfs import pdf  # noqa: E402


def weasyprint_alone(archive: object, records: object, printing: pdf.Printing) -> str:
    """WeasyPrint's own speed on the same pages, in one process: each protocol's printed page
    (the same HTML Justerat prints) written as a plain PDF, without Justerat's sandbox, PDF/A
    variant or cache, against the whole of Justerat's printing of the same PDFs."""
    import weasyprint

    documents = [
        document
        for summary in archive.protocols  # type: ignore[attr-defined]
        for document in pdf.protocol_documents(
            records.full(summary, archive.redacted),  # type: ignore[attr-defined]
            summary,
            archive.redacted,  # type: ignore[attr-defined]
            printing.calendar,
        )
    ]
    pages = 0
    started = time.perf_counter()
    for document in documents:
        html = pdf._render_html(printing.env, document, archive)  # type: ignore[arg-type]
        base = Path(document.source.path).resolve().parent.as_uri() + "/"
        rendered = weasyprint.HTML(string=html, base_url=base).render()
        rendered.write_pdf()
        pages += len(rendered.pages)
    took = time.perf_counter() - started
    return (
        f"WeasyPrint alone, one process: {len(documents)} PDFs, {pages} pages in {took:.2f} s, "
        f"{took / pages:.3f} s / page ({pages / took:.1f} pages per second per core)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--protocols", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "content"
        generate(source, args.protocols)
        options = Options(content=source, templates=ROOT / "templates", cache=None)
        cache = Cache(None, source, None)  # nothing kept: every PDF is printed
        loaded = pipeline.load(options, cache)
        archive, records, problems = loaded.archive, loaded.records, loaded.problems
        assert archive is not None and records is not None, problems
        printing = pipeline.printing(options, cache)
        cores = os.cpu_count() or 1
        print(f"{args.protocols} protocols; {cores} cores")
        print(f"{'processes':>10}{'PDFs':>8}{'pages':>8}{'seconds':>10}{'s / page':>10}")
        times = {}
        for workers in sorted({1, cores}):
            started = time.perf_counter()
            way = replace(printing, workers=workers)
            files, found = pdf.pdf_files(archive, records, way)
            took = time.perf_counter() - started
            assert not found, found
            pages = sum(len(PdfReader(io.BytesIO(f.data())).pages) for f in files.values())
            times[workers] = took
            print(f"{workers:>10}{len(files):>8}{pages:>8}{took:>10.2f}{took / pages:>10.3f}")
        if cores > 1:
            print(f"speed-up from {cores} processes: {times[1] / times[cores]:.2f}×")
        print(weasyprint_alone(archive, records, printing))


if __name__ == "__main__":
    main()
