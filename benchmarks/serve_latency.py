"""How long from a save to the new page being served by `python build.py serve`.

Runs the real server as a subprocess on a free port, on the sample archive and on a generated
archive (default 2,000 protocols), edits one protocol several times, and prints for each the
time from the file being written to the edited text being served. Medians are printed; the
numbers depend on the machine, so they are printed, never asserted.

    .venv/bin/python benchmarks/serve_latency.py [--protocols 2000] [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.read().decode("utf-8", "replace")
    except OSError:
        return ""


def measure(content: Path, protocol: Path, page: str, runs: int) -> tuple[float, list[float]]:
    port = free_port()
    log = content.parent / "serve.log"
    started = time.perf_counter()
    with open(log, "w") as sink:
        server = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "build.py"),
                "serve",
                "--content",
                str(content),
                "--port",
                str(port),
            ],
            cwd=ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}/{page}"
        while "Förhandsvisning med utkast" not in log.read_text("utf-8"):
            if server.poll() is not None:
                raise SystemExit(log.read_text("utf-8"))
            time.sleep(0.05)
        first = time.perf_counter() - started
        text = protocol.read_text("utf-8")
        latencies = []
        for run in range(runs):
            marker = f"Ändring nummer {run} i protokollet"
            protocol.write_text(text.replace("## § 1 ", f"## § 1 {marker} ", 1), "utf-8")
            saved = time.perf_counter()
            while marker not in fetch(url):
                time.sleep(0.01)
            latencies.append(time.perf_counter() - saved)
            time.sleep(0.5)
        return first, latencies
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--protocols", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sample = Path(folder) / "sample" / "content"
        shutil.copytree(ROOT / "content", sample)
        generated = Path(folder) / "generated" / "content"
        protocols = generate(generated, args.protocols)
        print(
            f"{'archive':<34}{'first build':>12}{'save → served (median)':>26}{'min':>8}{'max':>8}"
        )
        for label, content, protocol in [
            ("sample (2 protocols, 1 plan)", sample, sample / "protocols/styrelsen/2023-09-13.md"),
            (f"generated ({args.protocols} protocols)", generated, protocols[len(protocols) // 2]),
        ]:
            relative = protocol.relative_to(content / "protocols").with_suffix("")
            first, latencies = measure(
                content, protocol, f"protokoll/{relative.as_posix()}/", args.runs
            )
            print(
                f"{label:<34}{first:>11.2f}s{statistics.median(latencies):>25.3f}s"
                f"{min(latencies):>7.3f}s{max(latencies):>7.3f}s"
            )
    print("(save → served includes the watcher's 0.3 s quiet period that debounces bursts)")


if __name__ == "__main__":
    main()
