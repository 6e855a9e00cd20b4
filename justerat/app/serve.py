"""The secretary's preview: `python build.py serve`, with live reload.

The site, drafts included, is built in memory and served from there, never written to the
published folder. A poll of the content and templates folders notices saves; a burst of saves
is one rebuild, made when the folders have been quiet for a moment. Each rebuild is the
build's own ``pipeline.run`` into memory (``publish.InMemory``), with one ``cache.Cache`` kept
between rebuilds: it reuses what did not change, and its result replaces the served site in
one step, so a browser
never sees a half-built site; then the open tabs reload (livereload's protocol). A build that
fails leaves the server running and every page shows the problems, as `check` prints them.
PDFs are made when their link is opened, from the current content (cached by content hash,
so never stale).
"""

from __future__ import annotations

import contextlib
import html
import mimetypes
import posixpath
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from livereload import Server
from livereload.handlers import LiveReloadHandler
from tornado.ioloop import IOLoop, PeriodicCallback

from ..build import pipeline
from ..build.options import Made, Options, Result
from ..core.cache import Cache
from ..core.files import listing
from ..core.problems import Problem, Severity, report
from ..core.swedish import counted
from ..legal import publog
from ..pdfs import pdf
from ..publishing.publish import InMemory
from ..web import render

POLL_SECONDS = 0.1
POLL_SHARE = 0.25  # of a core, at most, for looking at the folders (10,000 files: 50 ms a look)
QUIET_SECONDS = 0.3  # a burst of saves ends when the folders have been quiet this long

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


@dataclass(frozen=True)
class Snapshot:
    """One complete build as served: its files, or the problems that stopped it."""

    epoch: int
    files: dict[str, bytes] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    result: Result | None = None

    @property
    def failed(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems) or self.result is None


class Preview:
    """Builds and holds the served site; thread-safe swaps of whole snapshots."""

    def __init__(self, options: Options, today: Callable[[], date] = publog.today) -> None:
        self.options = options
        self.today = today
        self.cache = Cache(options.cache, options.content, None)
        self.site = InMemory()  # the last site built whole
        self.snapshot = Snapshot(0)
        self._lock = threading.Lock()

    def rebuild(self, first: bool = False) -> Snapshot:
        """Build the site anew. Worker processes only for the ``first`` build, made before the
        server starts its threads: forking beside threads is not safe, so later rebuilds
        (of what changed, a few files) run in this process."""
        with self._lock:
            started = time.perf_counter()
            alone = threading.active_count() == 1  # no thread of the server's yet
            workers = self.options.workers if first and alone else 1
            options = replace(self.options, today=self.today(), drafts=True, workers=workers)
            sink = InMemory(self.site)
            made = Made(pdfs=False, index=True, on_demand=True)
            result = pipeline.run(options, self.cache, lambda: sink, made)
            if result.ok:
                self.site = sink
            took = (time.perf_counter() - started) * 1000
            snapshot = Snapshot(
                self.snapshot.epoch + 1,
                sink.files if result.ok else {},
                tuple(result.problems),
                result if result.ok else None,
            )
            self.snapshot = snapshot
        if snapshot.problems:
            print(report(snapshot.problems), file=sys.stderr, flush=True)
        if snapshot.failed:
            print(f"Bygget misslyckades ({took:.0f} ms); sidorna visar felen.", flush=True)
        else:
            print(
                f"Byggde: {counted(len(result.rendered), 'sida ny', 'sidor nya')}, "
                f"{counted(len(snapshot.files), 'fil', 'filer')}, {took:.0f} ms",
                flush=True,
            )
        return snapshot

    # --- serving ------------------------------------------------------------------------

    def app(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        """The WSGI application: the current snapshot, PDFs on demand, or the problems."""
        snapshot = self.snapshot
        path = posixpath.normpath(environ.get("PATH_INFO", "/")).lstrip("/")
        path = "" if path == "." else path
        if environ.get("PATH_INFO", "/").endswith("/") and path:
            path += "/"
        if snapshot.failed:
            return self._problems_page(snapshot, start_response)
        target = render.output_file(path) if path.endswith("/") or not path else path
        if target not in snapshot.files and f"{target}/index.html" in snapshot.files:
            start_response("301 Moved Permanently", [("Location", f"/{target}/")])
            return [b""]
        if target.endswith(".pdf") and target not in snapshot.files:
            return self._pdf(snapshot, target, start_response)
        body = snapshot.files.get(target)
        if body is None:
            return self._respond(start_response, "404 Not Found", _not_found(path))
        kind = mimetypes.guess_type(target)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in {"application/javascript", "application/json"}:
            kind += "; charset=utf-8"
        start_response("200 OK", [("Content-Type", kind), ("Cache-Control", "no-store")])
        return [body]

    def _pdf(self, snapshot: Snapshot, target: str, start_response: StartResponse) -> list[bytes]:
        result = snapshot.result
        assert result is not None and result.archive is not None and result.records is not None
        printing = pipeline.printing(self.options, self.cache)
        files, problems = pdf.pdf_files(result.archive, result.records, printing, target)
        if target not in files:
            if problems:
                failed = Snapshot(snapshot.epoch, problems=tuple(problems))
                return self._problems_page(failed, start_response)
            return self._respond(start_response, "404 Not Found", _not_found(target))
        start_response(
            "200 OK", [("Content-Type", "application/pdf"), ("Cache-Control", "no-store")]
        )
        return [files[target].data()]

    def _problems_page(self, snapshot: Snapshot, start_response: StartResponse) -> list[bytes]:
        items = "\n".join(
            f'<li class="{p.severity.value}"><code>{html.escape(str(p))}</code></li>'
            for p in sorted(set(snapshot.problems))
        )
        page = f"""<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fel i innehållet – förhandsvisning</title>
<style>body{{font:1rem/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem}}
h1{{color:#8a1c00}} li{{margin:.5rem 0}} code{{white-space:pre-wrap}}
.warning{{color:#4a4a4a}}</style>
</head>
<body>
<main>
<h1>Förhandsvisningen kan inte byggas</h1>
<p>Rätta felen nedan och spara; sidan laddas om av sig själv.</p>
<ul id="problem">
{items}
</ul>
</main>
</body>
</html>
"""
        return self._respond(start_response, "500 Internal Server Error", page)

    @staticmethod
    def _respond(start_response: StartResponse, status: str, page: str) -> list[bytes]:
        start_response(
            status, [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")]
        )
        return [page.encode("utf-8")]


def _not_found(path: str) -> str:
    return (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Sidan finns inte'
        "</title></head><body><main><h1>Sidan finns inte</h1><p>"
        f"/{html.escape(path)} finns inte i förhandsvisningen. "
        '<a href="/">Till startsidan</a></p></main></body></html>'
    )


class Watch:
    """Polls the folders; after a burst of changes and a quiet moment, rebuilds once."""

    def __init__(self, preview: Preview, folders: list[Path], on_built: Callable[[], None]):
        self.preview = preview
        self.folders = folders
        self.on_built = on_built
        self.state = listing(folders)
        self.next_look = 0.0  # a large archive is looked at less often than every poll
        self.changed_at: float | None = None
        self.building = False
        self.executor = ThreadPoolExecutor(max_workers=1)

    def poll(self) -> None:
        started = time.monotonic()
        if started < self.next_look:
            return
        state = listing(self.folders)
        now = time.monotonic()
        self.next_look = now + (now - started) * (1 / POLL_SHARE - 1)
        if state != self.state:
            self.state = state
            self.changed_at = now
            return
        if self.changed_at is None or self.building or now - self.changed_at < QUIET_SECONDS:
            return
        self.changed_at = None
        self.building = True
        future = self.executor.submit(self.preview.rebuild)
        IOLoop.current().add_future(future, self._done)

    def _done(self, _future: Any) -> None:
        self.building = False
        self.on_built()


def serve(options: Options, host: str, port: int) -> int:
    preview = Preview(options)
    preview.rebuild(first=True)  # before the server and the watcher start their threads
    server = Server(app=preview.app)
    try:
        server.application(port, host, debug=False, live_css=False)
    except OSError as exc:
        print(
            f"serve: kan inte lyssna på {host}:{port} ({exc.strerror}); porten används "
            "kanske redan: välj en annan med --port",
            file=sys.stderr,
        )
        return 1
    folders = [options.content, options.templates]
    watch = Watch(preview, folders, lambda: LiveReloadHandler.reload_waiters("*"))
    loop = IOLoop.current()
    PeriodicCallback(watch.poll, POLL_SECONDS * 1000).start()
    shown = f"[{host}]" if ":" in host else host
    print(f"Förhandsvisning med utkast: http://{shown}:{port}/  (Ctrl-C avslutar)", flush=True)
    print(f"Bevakar {', '.join(f.as_posix() for f in folders)}", flush=True)

    def stop(*_: Any) -> None:
        loop.add_callback_from_signal(loop.stop)

    signal.signal(signal.SIGTERM, stop)
    with contextlib.suppress(KeyboardInterrupt):
        loop.start()
    watch.executor.shutdown(wait=True)
    print("Förhandsvisningen avslutad.", flush=True)
    return 0
