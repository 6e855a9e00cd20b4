"""HTML → PDF bytes with WeasyPrint, sandboxed: the renderer may read only ``data:`` URLs and
files inside the given folders, never the network. Loaded only when a PDF is printed (WeasyPrint
takes most of a second to import); ``pdf`` decides what to print and keeps what was printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

import weasyprint
from weasyprint.document import DocumentMetadata
from weasyprint.urls import FatalURLFetchingError, URLFetcher


class PlainMetadata(DocumentMetadata):  # type: ignore[misc]
    """The document's metadata with its XMP stream written uncompressed (the rest of the PDF
    stays compressed). Format identification by PRONOM signatures, as e-arkiv intake runs it
    (opf-fido, DROID), reads the PDF/A part and conformance from the XMP in the file's bytes:
    compressed, a PDF/A-2a is taken for "Acrobat PDF 1.7" (fmt/276), not PDF/A-2a (fmt/476)."""

    def include_in_pdf(
        self, pdf: Any, variant: Any, version: Any, conformance: Any, compress: bool
    ) -> None:
        super().include_in_pdf(pdf, variant, version, conformance, False)


class SandboxViolation(FatalURLFetchingError):  # type: ignore[misc]
    """The document asked for a file or URL outside the allowed folders."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class SandboxedFetcher(URLFetcher):  # type: ignore[misc]
    """Only data: URLs and files inside ``roots``; never the network."""

    def __init__(self, roots: Sequence[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self.roots = [root.resolve() for root in roots]

    def fetch(self, url: str, headers: Any = None) -> Any:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(url2pathname(urlparse(url).path)).resolve()
            if any(path.is_relative_to(root) for root in self.roots):
                return super().fetch(url, headers)
        raise SandboxViolation(url)


def render(
    html: str, base_url: str, roots: Sequence[str], variant: str
) -> tuple[bytes | None, str | None]:
    """(PDF bytes, None), or (None, the URL that broke the sandbox)."""
    fetcher = SandboxedFetcher([Path(root) for root in roots])
    options = {"pdf_variant": variant, "uncompressed_pdf": False}
    try:
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            **options
        )
        document.metadata = PlainMetadata(**vars(document.metadata))
        data = document.write_pdf(**options)
    except SandboxViolation as exc:
        return None, exc.url
    assert data is not None
    return bytes(data), None
