"""``python build.py granska``: the office's built site tested for accessibility, and the
record of it (``reading.audit_record``) written into the content folder.

The built output folder is served on a free port of this machine (loopback only), one page of
each page type is chosen from it (the largest: the most to test), and each is tested in
Debian's Chromium with axe-core's rules for WCAG 2.0 and 2.1, levels A and AA, and by the Nu
Html Checker. The record holds the day (in Sweden), Justerat's version, each tool's version
and what each found on each page; the accessibility statement is made from it at the next
build. The tools are the test suite's (``./setup.sh --dev``): without them nothing is tested
and no record is written.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse
from zoneinfo import ZoneInfo

from .. import __version__
from ..core.swedish import counted
from ..reading import audit_record
from ..reading.audit_record import Audit, Error, Tested, Violation
from .arguments import iso_date

PROJECT = Path(__file__).resolve().parents[2]  # where ./setup.sh --dev installs the tools
AXE = PROJECT / "node_modules/axe-core"
VNU = PROJECT / "node_modules/vnu-jar/build/dist/vnu.jar"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's, as the browser tests drive it
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SWEDEN = ZoneInfo("Europe/Stockholm")
SETUP = "./setup.sh --dev"
NOT_FOUND = "404.html"
TOOL_SECONDS = 600

# The site's page types, by their addresses (``web.pages``): (type, name in Swedish, address).
# A page of no known type is tested too, as the type of the first folder of its address.
_DATE = r"\d{4}-\d{2}-\d{2}"
PAGE_TYPES = (
    ("start", "Startsida", r""),
    ("protocols", "Protokoll: organen", r"protokoll/"),
    ("body", "Ett organs protokoll", r"protokoll/[^/]+/"),
    ("year", "Ett organs protokoll under ett år", r"protokoll/[^/]+/\d{4}/"),
    ("protocol", "Protokoll", rf"protokoll/[^/]+/{_DATE}/"),
    ("anslagsbevis", "Anslagsbevis för ett protokoll", rf"protokoll/[^/]+/{_DATE}/anslagsbevis/"),
    ("board", "Anslagstavla", r"anslagstavla/"),
    ("log", "Publiceringslogg", r"anslagstavla/publiceringslogg/"),
    ("notice", "Anslag", r"anslag/\d{4}/[^/]+/"),
    ("notice-anslagsbevis", "Anslagsbevis för ett anslag", r"anslag/\d{4}/[^/]+/anslagsbevis/"),
    ("meetings", "Sammanträden", r"sammantraden/"),
    ("body-meetings", "Ett organs sammanträden", r"sammantraden/[^/]+/"),
    ("meeting", "Sammanträde med kallelse", rf"sammantraden/[^/]+/{_DATE}/"),
    ("kungorelse", "Kungörelse", rf"sammantraden/[^/]+/{_DATE}/kungorelse/"),
    ("plans", "Planer och budgetar", r"planer/"),
    ("plan", "Plan eller budget", r"planer/[^/]+/"),
    ("register", "Författningssamling", r"forfattningssamling/"),
    ("forfattning", "Föreskrift", r"forfattningssamling/\d{4}-\d+/"),
    ("people", "Ledamöter och ersättare", r"ledamoter/"),
    ("person", "En persons sida", r"ledamoter/[^/]+/"),
    ("search", "Sök", r"sok/"),
    ("accessibility", "Tillgänglighetsredogörelse", r"tillganglighet/"),
    ("open-data", "Öppna data", r"oppna-data/"),
    ("open-data-body", "Öppna data för ett organ", r"oppna-data/[^/]+/"),
    ("not-found", "Sidan finns inte (404)", re.escape(NOT_FOUND)),
)
_PATTERNS = [(kind, name, re.compile(pattern)) for kind, name, pattern in PAGE_TYPES]
_NOT_PAGES = ("assets/", "sok/index/", "data/", "schema/")  # folders of files, not pages

# the tags are the record's; the page is read as a visitor in Sweden reads it on the day
_AXE_RUN = """async tags => {
    const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                      resultTypes: ['violations']});
    return r.violations.map(v => [v.id, v.nodes.length]);
}"""


class Untestable(Exception):
    """The site cannot be tested (a tool is missing or failed, there is no built site); the
    message says why, in Swedish."""


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The command's arguments, beside the other commands'."""
    granska = commands.add_parser(
        "granska",
        help="testa den byggda webbplatsens tillgänglighet och anteckna resultatet",
        description="Testar en sida av varje sidtyp i den byggda webbplatsen med axe-core "
        "(WCAG 2.0 och 2.1, nivå A och AA) i Chromium och med Nu Html Checker, och skriver "
        f"resultatet till INNEHÅLL/{audit_record.FILE}, som tillgänglighetsredogörelsen "
        "byggs av. Avslutar med kod 1 om något hittades, 2 om testet inte kunde göras "
        f"(verktygen installeras med {SETUP}).",
    )
    granska.add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        metavar="MAPP",
        help=f"innehållsmappen, dit {audit_record.FILE} skrivs (standard: content)",
    )
    granska.add_argument(
        "--out",
        type=Path,
        default=Path("site"),
        metavar="MAPP",
        help="den byggda webbplatsen som testas (standard: site)",
    )
    granska.add_argument(
        "--today",
        type=iso_date,
        default=None,
        metavar="ÅÅÅÅ-MM-DD",
        help="dagen som testet antecknas för och sidorna läses på (standard: dagens datum "
        "i Sverige)",
    )


@dataclass(frozen=True)
class Tools:
    axe: Path  # axe-core's script
    axe_version: str
    java: str
    vnu: Path


def tools() -> Tools:
    """The tools, or ``Untestable`` naming every one that is missing."""
    java = shutil.which("java")
    missing = [
        name
        for name, there in (
            ("axe-core (node_modules/axe-core)", (AXE / "axe.min.js").is_file()),
            ("Nu Html Checker (node_modules/vnu-jar)", VNU.is_file()),
            ("Java", java is not None),
            (f"Chromium ({CHROMIUM})", CHROMIUM.is_file()),
            ("Playwright", _has_playwright()),
        )
        if not there
    ]
    if missing:
        raise Untestable(
            f"verktygen för testet saknas: {', '.join(missing)}. De installeras med {SETUP}."
        )
    assert java is not None
    version = json.loads((AXE / "package.json").read_text("utf-8"))["version"]
    return Tools(AXE / "axe.min.js", str(version), java, VNU)


def _has_playwright() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class Chosen:
    """The page tested for a page type: its address in the site and its file."""

    type: str
    name: str
    url: str
    file: Path


def page_type(url: str) -> tuple[str, str]:
    """The type of the page at ``url`` (its address in the site) and its name in Swedish."""
    for kind, name, pattern in _PATTERNS:
        if pattern.fullmatch(url):
            return kind, name
    first = url.split("/", 1)[0]
    return f"annan:{first}", f"Annan sida: /{first}/"


def choose(site: Path) -> list[Chosen]:
    """One page of each type the built ``site`` has: the largest (ties: the first address),
    in the order of ``PAGE_TYPES``, then the other types by name."""
    largest: dict[str, tuple[int, str, Chosen]] = {}
    for folder, dirs, names in os.walk(site):
        dirs.sort()
        where = Path(folder)
        url = "" if where == site else where.relative_to(site).as_posix() + "/"
        if url.startswith(_NOT_PAGES):
            dirs.clear()
            continue
        files = ["index.html"] if "index.html" in names else []
        files += [NOT_FOUND] if url == "" and NOT_FOUND in names else []
        for file in files:
            address = url if file == "index.html" else url + file
            kind, name = page_type(address)
            size = (where / file).stat().st_size
            best = largest.get(kind)
            if best is None or (-size, address) < (-best[0], best[1]):
                largest[kind] = (size, address, Chosen(kind, name, address, where / file))
    order = {kind: index for index, (kind, _, _) in enumerate(PAGE_TYPES)}
    return sorted(
        (chosen for _, _, chosen in largest.values()),
        key=lambda c: (order.get(c.type, len(order)), c.name),
    )


@contextmanager
def served(site: Path) -> Iterator[str]:
    """The folder served over HTTP on loopback, on a free port, while the block runs."""
    import http.server  # only for this command: every command line reads this module

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def axe(tools: Tools, base: str, pages: list[Chosen], day: date) -> tuple[str, list[list[Any]]]:
    """Chromium's version, and what axe-core finds on each page: [rule, elements]."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    noon = datetime(day.year, day.month, day.day, 12, tzinfo=SWEDEN)
    found: list[list[Any]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                for chosen in pages:
                    context = browser.new_context(
                        viewport={"width": 1280, "height": 900}, locale="sv-SE"
                    )
                    page = context.new_page()
                    page.clock.set_fixed_time(noon)  # the anslagstavla sorts by the day
                    response = page.goto(base + chosen.url, wait_until="load")
                    if response is None or not response.ok:
                        status = response.status if response is not None else "inget svar"
                        raise Untestable(f"/{chosen.url} kunde inte öppnas ({status})")
                    page.add_script_tag(path=str(tools.axe))
                    found.append(page.evaluate(_AXE_RUN, list(audit_record.TAGS)))
                    context.close()
                version = browser.version
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise Untestable(f"Chromium eller axe-core kunde inte köras: {exc}") from None
    return version, found


def nu(tools: Tools, pages: list[Chosen]) -> tuple[str, list[list[Error]]]:
    """The Nu Html Checker's version, and the errors it finds in each page's HTML."""
    version = _run([tools.java, "-jar", str(tools.vnu), "--version"]).stdout.split()
    if not version:
        raise Untestable("Nu Html Checker angav ingen version")
    files = [str(chosen.file) for chosen in pages]
    result = _run([tools.java, "-jar", str(tools.vnu), "--errors-only", "--format", "json", *files])
    try:
        messages = json.loads(result.stderr)["messages"]
    except (json.JSONDecodeError, KeyError, TypeError):
        raise Untestable(
            f"Nu Html Checker svarade inte som väntat: {result.stderr[-500:]}"
        ) from None
    found: dict[str, list[Error]] = {name: [] for name in files}
    for message in messages:
        file = unquote(urlparse(str(message.get("url", ""))).path)
        if message.get("type") != "error" or file not in found:
            raise Untestable(f"Nu Html Checker kunde inte testa {file}: {message.get('message')}")
        found[file].append(Error(str(message["message"]), message.get("lastLine")))
    ordered = [sorted(found[name], key=lambda e: (e.line is None, e.line or 0)) for name in files]
    return version[0], ordered


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TOOL_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Untestable(f"{Path(command[0]).name} kunde inte köras: {exc}") from None
    if result.returncode not in (0, 1):  # 1: errors were found
        raise Untestable(f"Nu Html Checker avslutades med kod {result.returncode}: {result.stderr}")
    return result


def audit(site: Path, day: date, tools: Tools) -> Audit:
    """Test one page of each type of the built ``site``, read on ``day``."""
    pages = choose(site)
    if not pages:
        raise Untestable(f"{site.as_posix()}/ har inga sidor att testa")
    with served(site) as base:
        chromium, violations = axe(tools, base, pages, day)
    checker, errors = nu(tools, pages)
    tested = tuple(
        Tested(
            type=chosen.type,
            name=chosen.name,
            url=chosen.url,
            axe=tuple(Violation(rule, nodes) for rule, nodes in sorted(found)),
            nu=tuple(errors_on),
        )
        for chosen, found, errors_on in zip(pages, violations, errors, strict=True)
    )
    return Audit(day, __version__, tools.axe_version, chromium, checker, tested)


def _built_site(out: Path, content: Path) -> Path:
    """The built site in ``out`` (the published tree it points to, held for the whole test),
    or ``Untestable`` when there is none, or it was built from other content."""
    if not (out / "index.html").is_file():
        raise Untestable(
            f"det finns ingen byggd webbplats i {out.as_posix()}/; bygg den först med "
            f"build.py build --content {content.as_posix()} --out {out.as_posix()}"
        )
    import yaml

    settings = content / "site.yaml"
    try:
        base = str((yaml.safe_load(settings.read_text("utf-8")) or {}).get("base_url", ""))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, AttributeError):
        raise Untestable(f"{settings.as_posix()} kan inte läsas: är det innehållsmappen?") from None
    sitemap = out / "sitemap.xml"
    first = (
        re.search(r"<loc>([^<]*)</loc>", sitemap.read_text("utf-8")) if sitemap.is_file() else None
    )
    if first is not None and not first.group(1).startswith(base):
        raise Untestable(
            f"webbplatsen i {out.as_posix()}/ är inte byggd av {content.as_posix()}/ "
            f"(dess adress är inte {base}); ange båda mapparna med --content och --out"
        )
    return out.resolve()


def run(args: argparse.Namespace) -> int:
    """The command: 0 when the tools found nothing, 1 when they found something (the record
    is written either way), 2 when nothing could be tested (and nothing is written)."""
    day: date = args.today or datetime.now(SWEDEN).date()
    try:
        found = tools()
        site = _built_site(args.out, args.content)
        result = audit(site, day, found)
    except Untestable as exc:
        print(f"granska: {exc}", file=sys.stderr)
        return 2
    record = args.content / audit_record.FILE
    record.write_text(audit_record.dumps(result), "utf-8")
    print(summary(result, args.out, record))
    return 0 if result.clean else 1


def summary(result: Audit, out: Path, record: Path) -> str:
    """What the test found, as the secretary reads it."""
    lines = [
        f"Testade {counted(len(result.pages), 'sidtyp', 'sidtyper')} i {out.as_posix()}/ med "
        f"axe-core {result.axe_core} i Chromium {result.chromium} och Nu Html Checker "
        f"{result.nu}:"
    ]
    for page in result.pages:
        axe_found = ", ".join(f"{v.id} ({counted(v.nodes, 'ställe', 'ställen')})" for v in page.axe)
        nu_found = "; ".join(e.message + (f" (rad {e.line})" if e.line else "") for e in page.nu)
        said = [
            f"axe-core: {axe_found}" if page.axe else "axe-core: inga brister",
            f"Nu Html Checker: {nu_found}" if page.nu else "Nu Html Checker: inga fel",
        ]
        lines.append(f"  {page.name} (/{page.url}): {'; '.join(said)}")
    if result.clean:
        lines.append("Inget hittades.")
    else:
        lines.append(
            f"axe-core hittade brister på {counted(result.axe_found, 'sidtyp', 'sidtyper')}, "
            f"Nu Html Checker fel på {counted(result.nu_found, 'sidtyp', 'sidtyper')}."
        )
    lines.append(
        f"Resultatet skrevs till {record.as_posix()}; tillgänglighetsredogörelsen visar det "
        "när webbplatsen byggs nästa gång."
    )
    return "\n".join(lines)
