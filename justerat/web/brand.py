"""The kommun's identity as files: its logo under /assets/, the favicon (/favicon.ico, and
/favicon.svg when there is an SVG to give), the touch icon and the stylesheet of its accent
colour; and what every page's head and header need to show them (``Brand``).

The favicon is the one site.yaml names, or else made from the logo (fitted into a square), or
else a plain page in the accent colour, so that /favicon.ico is never missing. Pictures are
drawn with CairoSVG and written with Pillow, which give the same bytes for the same input.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cairosvg  # type: ignore[import-untyped]
from PIL import Image

from ..domain.settings import Identity, Picture
from ..loading.identity import palette

ASSETS = "assets"
ICO_SIZES = ((16, 16), (32, 32), (48, 48))
TOUCH = 180  # px: the touch icon iOS and Android ask for
LOGO_HEIGHT = 48  # px: the logo's height in the header
DRAWN = 256  # px: the side an SVG is drawn at before it is made smaller

# A page with three lines on the accent: the favicon when site.yaml gives no picture
PLAIN = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="5" fill="{accent}"/>
<path d="M9 5h10l5 5v17H9z" fill="#fff"/>
<path d="M12 14h9M12 18h9M12 22h6" stroke="{accent}" stroke-width="2"/>
</svg>
"""


@dataclass(frozen=True)
class Brand:
    """What the templates show of the identity: the logo's address and size in the header,
    the favicons' addresses, the accent's stylesheet and the main website."""

    logo: str | None  # the address under the site's root
    logo_width: int
    logo_height: int
    favicon_svg: str | None
    accent_css: str | None
    website: str | None


def brand(identity: Identity) -> Brand:
    logo = identity.logo
    height = LOGO_HEIGHT
    width = round(height * logo.width / logo.height) if logo else 0
    return Brand(
        logo=f"{ASSETS}/logo.{logo.kind}" if logo else None,
        logo_width=width,
        logo_height=height if logo else 0,
        favicon_svg="favicon.svg" if _gives_svg(identity) else None,
        accent_css=f"{ASSETS}/accent.css" if identity.accent else None,
        website=identity.website,
    )


def files(identity: Identity, within: bool) -> dict[str, bytes]:
    """The identity's files by their address under the site's root: those under /assets/
    (``within``: the logo and accent.css, which pages name with their digest), or the others
    (the favicons and the touch icon, at the names browsers ask for)."""
    made: dict[str, bytes] = {}
    if within:
        if identity.logo:
            made[f"{ASSETS}/logo.{identity.logo.kind}"] = identity.logo.path.read_bytes()
        if identity.accent:
            made[f"{ASSETS}/accent.css"] = accent_css(identity.accent).encode("utf-8")
        return made
    if _gives_svg(identity):
        made["favicon.svg"] = _svg_source(identity)
    given = identity.favicon
    drawn = given if given is not None and given.kind != "ico" else identity.logo
    square = _square(_drawn(drawn) if drawn is not None else _plain(identity))
    if given is not None and given.kind == "ico":
        made["favicon.ico"] = given.path.read_bytes()
    else:
        made["favicon.ico"] = _saved(square, "ICO", sizes=list(ICO_SIZES))
    made["apple-touch-icon.png"] = _touch(square)
    return made


def accent_css(accent: str) -> str:
    """The stylesheet that sets the accent (after style.css, whose properties it replaces)."""
    colours = palette(accent)
    return (
        "/* The accent colour from site.yaml, checked against WCAG 2.1 AA when built */\n"
        f":root {{ --accent: {colours.accent}; --accent-dark: {colours.dark}; }}\n"
    )


def _gives_svg(identity: Identity) -> bool:
    """Whether there is an SVG favicon to give: the one given, the SVG logo, or the plain page;
    not when a PNG or ICO is given (or the logo is a PNG), which an SVG would only stand in for.
    Known from the pictures' kinds, without reading them."""
    chosen = identity.favicon or identity.logo
    return chosen is None or chosen.kind == "svg"


def _svg_source(identity: Identity) -> bytes:
    """The SVG favicon's bytes (``_gives_svg``): the picture chosen, or the plain page."""
    chosen = identity.favicon or identity.logo
    return chosen.path.read_bytes() if chosen is not None else _plain_svg(identity)


def _plain_svg(identity: Identity) -> bytes:
    return PLAIN.format(accent=palette(identity.accent).accent).encode("utf-8")


def _plain(identity: Identity) -> Image.Image:
    return _svg_image(_plain_svg(identity), 32, 32)


def _drawn(picture: Picture) -> Image.Image:
    data = picture.path.read_bytes()
    if picture.kind == "svg":
        return _svg_image(data, picture.width, picture.height)
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGBA")


def _svg_image(data: bytes, width: int, height: int) -> Image.Image:
    """An SVG drawn with its longer side ``DRAWN`` px (its size as the checks read it)."""
    scale = DRAWN / max(width, height)
    size = {"output_width": round(width * scale), "output_height": round(height * scale)}
    png = cairosvg.svg2png(bytestring=data, unsafe=False, **size)
    with Image.open(io.BytesIO(png)) as image:
        return image.convert("RGBA")


def _square(image: Image.Image) -> Image.Image:
    """The picture centred in a transparent square as wide as its longer side."""
    side = max(image.size)
    square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    square.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
    return square


def _touch(square: Image.Image) -> bytes:
    """The touch icon: on white (iOS fills transparency with black), with a margin."""
    canvas = Image.new("RGBA", (TOUCH, TOUCH), (255, 255, 255, 255))
    inner = square.resize((TOUCH - 20, TOUCH - 20), Image.Resampling.LANCZOS)
    canvas.alpha_composite(inner, (10, 10))
    return _saved(canvas.convert("RGB"), "PNG")


def _saved(image: Image.Image, kind: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, optimize=False, **options)
    return out.getvalue()
