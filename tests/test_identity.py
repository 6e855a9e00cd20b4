"""The kommun's identity from site.yaml: the logo in every page's header with the organisation's
name as its text, the favicon (given, made from the logo, or plain), the accent colour checked
against WCAG 2.1 AA where the stylesheet uses it, and the link to the kommun's main website.

The contrast ratios are checked against values published by others (WebAIM's contrast checker
and WCAG's own understanding documents), not against the code's own arithmetic; the built
example kommun is checked by axe-core in Chromium in test_browser_a11y and test_browser_home.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, build_site, run_build_py
from PIL import Image

from justerat.core.contrast import luminance, ratio, shown
from justerat.loading.identity import USES, failures, palette

EXAMPLE = ROOT / "examples/kommun"
PAGES = [  # one page of each kind the example kommun has
    "index.html",
    "anslagstavla/index.html",
    "protokoll/kommunfullmaktige/2026-11-16/index.html",
    "sammantraden/index.html",
    "sok/index.html",
    "ledamoter/index.html",
    "404.html",
]


@pytest.mark.parametrize(
    ("first", "second", "published"),
    [
        ("#000000", "#ffffff", 21.0),  # the scale's ends (WCAG 2.1, contrast ratio)
        ("#ffffff", "#ffffff", 1.0),
        ("#767676", "#ffffff", 4.54),  # WebAIM: the lightest grey that passes on white
        ("#777777", "#ffffff", 4.48),  # WebAIM: and the darkest that fails
        ("#0000ff", "#ffffff", 8.59),  # WebAIM's contrast checker
        ("#ff0000", "#ffffff", 3.99),
    ],
)
def test_the_contrast_ratio_is_wcag_s(first: str, second: str, published: float) -> None:
    assert ratio(first, second) == pytest.approx(published, abs=0.01)
    assert ratio(second, first) == ratio(first, second)


def test_luminance_and_how_a_ratio_is_written() -> None:
    assert luminance("#fff") == 1.0 and luminance("#000") == 0.0
    assert shown(4.4999) == "4,4:1"  # rounded down: never up to a pass
    assert shown(21.0) == "21,0:1"


def test_a_light_accent_fails_and_says_which_pair() -> None:
    found = failures("#6fa8dc")  # a light blue: 2,5:1 on white
    assert found and found[0].startswith("länkar på vit bakgrund: #6fa8dc mot #ffffff")
    assert "2,5:1" in found[0] and "4,5:1" in found[0]
    assert failures("#1f6f43") == []  # the example kommun's green
    # every pair a failure names is one the palette really has
    for use in USES:
        assert use.needs in (3.0, 4.5)
    assert palette("#1f6f43").dark == "#164e2f"  # 30 % black: 0x1f * 0.7 = 0x16, …


@pytest.fixture(scope="module")
def kommun(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("identity")
    return build_site(EXAMPLE, where / "site", where / "cache", "2026-12-07")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_the_logo_the_favicon_and_the_main_website(
    kommun: Path, page: str
) -> None:
    html = soup(kommun / page)
    logo = html.select_one("header .site-name img.logo")
    assert logo is not None and logo["alt"] == "Ådala kommun"
    assert re.search(r"assets/logo\.[0-9a-f]{12}\.svg$", logo["src"])  # named by its digest
    # the size the header keeps for it: 48 px high, as wide as the logo's viewBox says (330:120)
    assert (logo["width"], logo["height"]) == ("132", "48")
    src = logo["src"]  # relative, or from the root on the 404 page, which is served anywhere
    target = kommun / src.lstrip("/") if src.startswith("/") else (kommun / page).parent / src
    assert target.resolve().is_file()
    icons = {link["href"].rsplit("/", 1)[-1]: link for link in html.select('link[rel="icon"]')}
    assert set(icons) == {"favicon.ico", "favicon.svg"}
    assert icons["favicon.svg"]["type"] == "image/svg+xml"
    assert html.select_one('link[rel="apple-touch-icon"]') is not None
    accent = html.select('link[rel="stylesheet"]')
    assert [a["href"].rsplit("/", 1)[-1].split(".")[0] for a in accent] == ["style", "accent"]
    for where in ("header", "footer"):
        website = html.select_one(f'{where} a[href="https://www.adala.example.se/"]')
        assert website is not None, where
        assert website.get_text(strip=True) == "Ådala kommuns webbplats"


def test_the_files_the_identity_makes(kommun: Path) -> None:
    assert (kommun / "assets/logo.svg").read_bytes() == (
        EXAMPLE / "bilder/logotyp.svg"
    ).read_bytes()
    assert (kommun / "favicon.svg").read_bytes() == (EXAMPLE / "bilder/vapen.svg").read_bytes()
    with Image.open(kommun / "favicon.ico") as ico:
        assert ico.format == "ICO"
        assert ico.info["sizes"] == {(16, 16), (32, 32), (48, 48)}
        ico.size = (32, 32)
        drawn = ico.convert("RGBA")
        # the coat of arms is drawn: its blue shield fills the middle, the corners stay clear
        assert drawn.getpixel((16, 20))[:3] != (0, 0, 0) and drawn.getpixel((16, 20))[3] == 255
        assert drawn.getpixel((0, 0))[3] == 0
    with Image.open(kommun / "apple-touch-icon.png") as touch:
        assert touch.format == "PNG" and touch.size == (180, 180)
        assert touch.getpixel((2, 2)) == (255, 255, 255)  # on white, not black
    css = (kommun / "assets/accent.css").read_text("utf-8")
    assert "--accent: #1f6f43;" in css and "--accent-dark: #164e2f;" in css


def copy_of_example(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(EXAMPLE, content)
    return content


def edited(content: Path, old: str, new: str) -> int:
    """site.yaml with ``old`` replaced by ``new``; the line ``new`` is on."""
    path = content / "site.yaml"
    text = path.read_text("utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, "utf-8")
    return text[: text.index(new)].count("\n") + 1 if new else 0


def build(content: Path, out: Path) -> tuple[int, str]:
    result = run_build_py(
        "build", "--content", str(content), "--out", str(out), "--no-pdf", "--today", "2026-12-07"
    )
    return result.returncode, result.stdout + result.stderr


def test_an_accent_that_fails_stops_the_build_and_names_the_pair(tmp_path: Path) -> None:
    content = copy_of_example(tmp_path)
    line = edited(content, 'accent: "#1f6f43"', 'accent: "#6fa8dc"')
    out = tmp_path / "site"
    code, said = build(content, out)
    assert code != 0
    assert f"site.yaml:{line}: error: accentfärgen #6fa8dc har för låg kontrast" in said
    assert "länkar på vit bakgrund: #6fa8dc mot #ffffff ger kontrasten 2,5:1" in said
    assert "WCAG 2.1 AA kräver 4,5:1" in said
    assert "till exempel #" in said  # a darker one that passes
    suggested = said.split("till exempel ", 1)[1][:7]
    assert failures(suggested) == []
    assert not out.exists()  # nothing published


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("logo: bilder/logotyp.svg", "logo: bilder/saknas.svg", "filen"),
        ("logo: bilder/logotyp.svg", "logo: ../utanfor.svg", "utanför innehållsmappen"),
        ("logo: bilder/logotyp.svg", "logo: bilder/skript.svg", "innehåller attributet onload"),
        ("logo: bilder/logotyp.svg", "logo: bilder/lank.svg", "en länk till javascript:"),
        ("logo: bilder/logotyp.svg", "logo: bilder/dokument.svg", "innehåller <foreignObject>"),
        ("favicon: bilder/vapen.svg", "favicon: bilder/hamtar.svg", "länk till https://"),
        ("logo: bilder/logotyp.svg", "logo: bilder/fel.png", "går inte att läsa"),
        ("favicon: bilder/vapen.svg", "favicon: bilder/utan-storlek.svg", "saknar storlek"),
    ],
)
def test_a_picture_that_cannot_be_shown_is_an_error_at_its_line(
    tmp_path: Path, key: str, value: str, said: str
) -> None:
    content = copy_of_example(tmp_path)
    (tmp_path / "utanfor.svg").write_bytes((EXAMPLE / "bilder/vapen.svg").read_bytes())
    (content / "bilder/skript.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"/>', "utf-8"
    )
    svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink" '
    (content / "bilder/lank.svg").write_text(
        svg + 'viewBox="0 0 9 9"><a href="javascript:alert(1)"><rect/></a></svg>', "utf-8"
    )
    (content / "bilder/dokument.svg").write_text(
        svg + 'viewBox="0 0 9 9"><foreignObject><p>x</p></foreignObject></svg>', "utf-8"
    )
    (content / "bilder/hamtar.svg").write_text(
        svg + 'viewBox="0 0 9 9"><image x:href="https://example.se/a.png"/></svg>', "utf-8"
    )
    (content / "bilder/utan-storlek.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5"/></svg>', "utf-8"
    )
    (content / "bilder/fel.png").write_bytes((EXAMPLE / "bilder/vapen.svg").read_bytes())
    line = edited(content, key, value)
    code, out = build(content, tmp_path / "site")
    assert code != 0
    assert f"site.yaml:{line}: error: {value.split(':')[0]}: " in out
    assert said in out


def test_without_a_favicon_it_is_made_from_the_logo(tmp_path: Path) -> None:
    content = copy_of_example(tmp_path)
    edited(content, "favicon: bilder/vapen.svg\n", "")
    png = io.BytesIO()
    Image.new("RGB", (200, 100), (200, 30, 40)).save(png, "PNG")  # a wide red logo
    (content / "bilder/logotyp.png").write_bytes(png.getvalue())
    edited(content, "logo: bilder/logotyp.svg", "logo: bilder/logotyp.png")
    code, said = build(content, tmp_path / "site")
    assert code == 0, said
    site = tmp_path / "site"
    assert not (site / "favicon.svg").exists()  # only a PNG to give
    html = soup(site / "index.html")
    assert [link["href"] for link in html.select('link[rel="icon"]')] == ["favicon.ico"]
    assert html.select_one("img.logo")["width"] == "96"  # 48 px high, twice as wide
    with Image.open(site / "favicon.ico") as ico:
        ico.size = (48, 48)
        drawn = ico.convert("RGBA")
        # fitted into the square: red across the middle, clear above and below it
        assert drawn.getpixel((24, 24)) == (200, 30, 40, 255)
        assert drawn.getpixel((24, 2))[3] == 0


def test_without_a_logo_the_name_shows_and_a_plain_favicon_is_made(site: Path) -> None:
    """The sample content names no logo, favicon or accent: the header shows the name, the
    favicon is a plain page in style.css's accent, and /favicon.ico is never missing."""
    html = soup(site / "index.html")
    name = html.select_one("header .site-name")
    assert name.get_text(strip=True) == "Samordningsförbundet Östra Södertörn"
    assert name.select_one("img") is None
    assert html.select_one('link[href$="accent.css"]') is None
    assert html.select_one("header a.main-site") is None
    assert b"#00507a" in (site / "favicon.svg").read_bytes()
    with Image.open(site / "favicon.ico") as ico:
        assert ico.format == "ICO"
        ico.size = (32, 32)
        assert ico.convert("RGB").getpixel((2, 16)) == (0, 0x50, 0x7A)
