"""The kommun's identity in site.yaml, checked before anything is built: the logo and the
favicon (a file inside the content folder, an SVG, a PNG or, for the favicon, an ICO that can
be read, with no script in it) and the accent colour against every colour the stylesheet sets
it beside, by WCAG 2.1 AA's contrast minimums (``core.contrast``)."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]
from PIL import Image, UnidentifiedImageError

from ..core.contrast import NON_TEXT, TEXT, mix, ratio, shown
from ..core.problems import Problem, error
from ..domain.settings import Picture, Settings

WHITE = "#ffffff"
SOFT = "#f3f5f7"  # the footer's and the notice boxes' background (style.css: --soft)
DECISION = "#eef6ee"  # a paragraph's decision, where § references are links (--decision)
FOCUS = "#ffbf47"  # the focus indicator (style.css: --focus)
DEFAULT_ACCENT = "#00507a"  # style.css's own
DARKER = 0.3  # the accent's darker shade (the menu band, a link under the pointer): 30 % black
SVG = "{http://www.w3.org/2000/svg}svg"
KINDS = {"logo": ("svg", "png"), "favicon": ("svg", "png", "ico")}


@dataclass(frozen=True)
class Palette:
    accent: str
    dark: str

    def of(self, name: str) -> str:
        return {"accent": self.accent, "dark": self.dark}.get(name, name)


def palette(accent: str | None) -> Palette:
    colour = accent or DEFAULT_ACCENT
    return Palette(colour, mix(colour, "#000000", DARKER))


@dataclass(frozen=True)
class Use:
    """One place the stylesheet sets an accent beside another colour, and the contrast it
    needs there."""

    foreground: str  # "accent", "dark" or a colour
    background: str
    needs: float
    where: str


USES = (
    Use("accent", WHITE, TEXT, "länkar på vit bakgrund"),
    Use("accent", SOFT, TEXT, "länkar på ljusgrå bakgrund (sidfoten, anslagens rutor)"),
    Use("accent", DECISION, TEXT, "länkar i beslutens ljusgröna ruta"),
    Use(WHITE, "accent", TEXT, "vit text på knappar i accentfärgen"),
    Use(WHITE, "dark", TEXT, "vit text i menyraden (accentfärgen 30 % mörkare)"),
    Use("dark", WHITE, TEXT, "länkar under muspekaren (accentfärgen 30 % mörkare)"),
    Use("dark", SOFT, TEXT, "länkar under muspekaren på ljusgrå bakgrund"),
    Use("dark", DECISION, TEXT, "länkar under muspekaren i beslutens ljusgröna ruta"),
    Use(FOCUS, "dark", NON_TEXT, "fokusmarkeringen (gul) i menyraden"),
)


def failures(accent: str) -> list[str]:
    """What fails with this accent, one sentence per pair."""
    colours = palette(accent)
    found = []
    for use in USES:
        front, back = colours.of(use.foreground), colours.of(use.background)
        value = ratio(front, back)
        if value < use.needs:
            found.append(
                f"{use.where}: {front} mot {back} ger kontrasten {shown(value)}, "
                f"WCAG 2.1 AA kräver {shown(use.needs)}"
            )
    return found


def darkened(accent: str) -> str:
    """The accent, darkened in steps of 5 % until every pair passes (black passes all)."""
    share = 0.0
    while share < 1:
        share = round(share + 0.05, 2)
        colour = mix(accent, "#000000", share)
        if not failures(colour):
            return colour
    return "#000000"


def checked(
    site: Settings, content: Path, line_of: Callable[..., int]
) -> tuple[Settings, list[Problem]]:
    """The settings with the logo and favicon read (kind, size, digest), and the problems of
    the identity, each at its line in site.yaml."""
    identity, shown_path = site.identity, site.path
    problems: list[Problem] = []
    if identity.accent:
        for failure in failures(identity.accent):
            problems.append(
                error(
                    shown_path,
                    line_of("accent"),
                    f"accentfärgen {identity.accent} har för låg kontrast för {failure}; "
                    f"välj en mörkare färg, till exempel {darkened(identity.accent)}",
                    "WCAG 2.1 1.4.3",
                )
            )
    pictures: dict[str, Picture] = {}
    for key in ("logo", "favicon"):
        picture: Picture | None = getattr(identity, key)
        if picture is None:
            continue
        read, trouble = _picture(picture, KINDS[key], content)
        if trouble:
            problems.append(error(shown_path, line_of(key), f"{key}: {trouble}", "settings"))
        pictures[key] = read
    if problems:
        return site, problems
    with_pictures = replace(identity, logo=pictures.get("logo"), favicon=pictures.get("favicon"))
    return replace(site, identity=with_pictures), []


def _picture(picture: Picture, kinds: tuple[str, ...], content: Path) -> tuple[Picture, str]:
    """The picture with its kind, size and digest, or what is wrong with it."""
    path = picture.path
    if not path.resolve().is_relative_to(content.resolve()):
        return picture, f"{path} ligger utanför innehållsmappen; lägg bilden i {content}"
    if not path.is_file():
        return picture, f"filen {path} finns inte; ange sökvägen från site.yaml:s mapp"
    kind = path.suffix.lower().lstrip(".")
    if kind not in kinds:
        wanted = ", ".join(f".{k}" for k in kinds)
        return picture, f"{path.name} ska vara en av {wanted}"
    data = path.read_bytes()
    size, trouble = _svg_size(data) if kind == "svg" else _raster_size(data, kind)
    if trouble:
        return picture, f"{path.name}: {trouble}"
    digest = hashlib.sha256(data).hexdigest()
    return replace(picture, kind=kind, width=size[0], height=size[1], digest=digest), ""


# what an SVG served as it is may not hold: elements that run script or embed other documents,
# animation that can rewrite a link, and references outside the file (``_active``)
_REFUSED = {
    "script", "foreignObject", "iframe", "object", "embed", "handler", "listener",
    "set", "animate", "animateMotion", "animateTransform",
}  # fmt: skip
_OWN = re.compile(r"\s*(#|data:image/)", re.IGNORECASE)  # a reference inside the file
_URL = re.compile(r"url\(\s*['\"]?(?!#|data:image/)|@import|javascript:", re.IGNORECASE)


def _active(root: Any) -> str:
    """What in the SVG could run script or fetch another file ("" when nothing): the SVG is
    served as it is, where a browser would follow it."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name in _REFUSED:
            return f"<{name}>"
        if name == "style" and _URL.search(element.text or ""):
            return "en stilmall som hämtar något utifrån"
        for key, value in element.attrib.items():
            attribute = etree.QName(key).localname
            if attribute.lower().startswith("on"):
                return f"attributet {attribute}"
            if attribute == "href" and not _OWN.match(value):
                return f"en länk till {value[:60]}"
            if attribute == "style" and _URL.search(value):
                return "en stil som hämtar något utifrån"
    return ""


_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(px)?\s*")


def _svg_size(data: bytes) -> tuple[tuple[int, int], str]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        return (0, 0), f"SVG-filen går inte att läsa ({e}); spara den på nytt som SVG"
    if root.tag != SVG:
        return (0, 0), "filen är inte en SVG-bild (rotelementet är inte <svg>)"
    refused = _active(root)
    if refused:
        return (0, 0), (
            f"SVG-filen innehåller {refused}, som kan köra skript eller hämta något utifrån; "
            "spara bilden utan det (en logotyp behöver bara former, text och färger)"
        )
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            width, height = float(box[2]), float(box[3])
        except ValueError:
            width = height = 0.0
    else:
        width, height = (_length(root.get(k)) for k in ("width", "height"))
    if width <= 0 or height <= 0:
        return (0, 0), 'SVG-filen saknar storlek; ge <svg> ett viewBox (till exempel "0 0 200 60")'
    return (max(1, round(width)), max(1, round(height))), ""


def _length(value: str | None) -> float:
    found = _LENGTH.fullmatch(value or "")
    return float(found.group(1)) if found else 0.0


def _raster_size(data: bytes, kind: str) -> tuple[tuple[int, int], str]:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            if image.format != kind.upper():
                return (0, 0), f"filen är inte en {kind.upper()}-bild utan {image.format}"
            return image.size, ""
    except (UnidentifiedImageError, OSError, SyntaxError) as e:
        return (0, 0), f"bilden går inte att läsa ({e})"
