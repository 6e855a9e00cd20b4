"""The user's templates: their environment, and the key of each template with everything it
extends, includes and imports. Below both the HTML pages (``render``) and the PDFs (``pdf``),
which are siblings: each takes its templates from here.

Templates live in the project's ``templates/`` folder, which a site owner may change freely;
``templates/pdf/`` holds the print templates, and anything in ``templates/assets/`` is copied
to ``/assets/`` as it is.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import jinja2
import jinja2.meta

from ..core.cache import TemplateCache
from ..core.swedish import counted, genitive, size_label, swedish_date

ASSETS_DIR = "assets"


def environment(templates: Path, kept: TemplateCache | None = None) -> jinja2.Environment:
    """The templates' environment; with ``kept``, compiled templates are kept there (by the
    hash of their text) for the next build."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=kept.bytecode() if kept is not None else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # an environment lasts one build: no template changes under it
    )
    env.filters["datum"] = swedish_date
    env.filters["iso"] = lambda d: d.isoformat()
    env.filters["storlek"] = size_label
    env.filters["genitiv"] = genitive  # {{ site.organisation|genitiv }} webbplats
    env.filters["antal"] = counted  # {{ n|antal("sammanträde", "sammanträden") }}
    return env


def file_digests(templates: Path) -> list[tuple[str, bytes]]:
    """Every file in the templates folder (path inside it, sha256 of its bytes), in a fixed
    order: what the keys of pages and PDFs take of the files beside the templates."""
    found = []
    for folder, dirs, names in sorted(os.walk(templates)):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                found.append(
                    (os.path.relpath(path, templates), hashlib.sha256(handle.read()).digest())
                )
    return found


def digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class TemplateKeys:
    """The key of each template: its text and the keys of the templates it extends, includes
    and imports. Which templates a text references is known from earlier builds (``kept``)
    by the hash of the text: parsing a template costs more than the rest of its key."""

    def __init__(self, env: jinja2.Environment, kept: TemplateCache | None = None) -> None:
        self.env = env
        self.references = kept.references if kept is not None else {}
        self._keys: dict[str, str] = {}

    def key(self, name: str) -> str:
        if name not in self._keys:
            self._keys[name] = ""  # a cycle of includes ends here
            loader = self.env.loader
            assert loader is not None
            try:
                text = loader.get_source(self.env, name)[0]
                referenced = self._referenced(text)
            except jinja2.TemplateError:
                text, referenced = f"missing {name}", []
            self._keys[name] = digest(text, *(self.key(r) for r in referenced))
        return self._keys[name]

    def _referenced(self, text: str) -> list[str]:
        known = hashlib.sha256(text.encode()).hexdigest()
        if known not in self.references:
            found = jinja2.meta.find_referenced_templates(self.env.parse(text))
            self.references[known] = sorted(r for r in found if r)
        return self.references[known]
