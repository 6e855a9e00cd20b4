"""How fast `build.py import` takes in an archive of text PDFs, and in how much memory.

    .venv/bin/python benchmarks/import_speed.py [--files 1000] [--workers 0]

Prints the real protocols of tests/fixtures/ (the seeds and the import corpus) as PDFs with
WeasyPrint once, copies them to --files PDFs in a folder tree (as an office's archive of
years), imports the whole folder into an empty content folder with the real command line,
and prints the time, the files per second and the peak memory (the largest resident set of
the import's processes, workers included: ru_maxrss of the children). Copies of one meeting
are reported as such and not written twice, as in a real run. Numbers depend on the machine:
printed, never asserted.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    *sorted((ROOT / "tests/fixtures/seeds").glob("00[12]_*.txt")),
    *sorted((ROOT / "tests/fixtures/import/corpus").glob("*.txt")),
]


def print_pdfs(folder: Path) -> list[Path]:
    import weasyprint

    printed = []
    for source in SOURCES:
        html = (
            "<html lang='sv'><head><style>@page{size:A4 landscape;margin:1cm}"
            "pre{font:7pt 'DejaVu Sans Mono',monospace;white-space:pre-wrap}</style></head>"
            f"<body><pre>{escape(source.read_text('utf-8'))}</pre></body></html>"
        )
        target = folder / f"{source.stem}.pdf"
        weasyprint.HTML(string=html).write_pdf(target)
        printed.append(target)
    return printed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        (root / "printed").mkdir()
        started = time.perf_counter()
        printed = print_pdfs(root / "printed")
        print(f"{len(printed)} PDFs printed in {time.perf_counter() - started:.1f} s")
        archive = root / "arkiv"
        for index in range(args.files):
            source = printed[index % len(printed)]
            year = archive / str(2000 + index // 100)
            year.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, year / f"{index:05}-{source.name}")
        content = root / "content"
        shutil.copytree(ROOT / "content", content)
        shutil.rmtree(content / "protocols")
        command = [sys.executable, str(ROOT / "build.py"), "import", str(archive)]
        command += ["--content", str(content), "--report", str(root / "rapport.csv")]
        if args.workers:
            command += ["--workers", str(args.workers)]
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rate = args.files / seconds
        print(f"{args.files} PDF files imported in {seconds:.1f} s: {rate:.1f} files/s")
        print(f"peak memory of the largest process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
