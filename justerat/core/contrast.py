"""Colour contrast as WCAG 2.1 defines it: the relative luminance of an sRGB colour and the
contrast ratio of two (https://www.w3.org/TR/WCAG21/#dfn-relative-luminance and
#dfn-contrast-ratio), with the success criteria's minimums."""

from __future__ import annotations

import re

TEXT = 4.5  # 1.4.3 Contrast (Minimum), normal text
NON_TEXT = 3.0  # 1.4.11 Non-text Contrast, parts of controls and the focus indicator

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")

RGB = tuple[int, int, int]


def rgb(colour: str) -> RGB:
    """``#rgb`` or ``#rrggbb`` as three channels 0–255 (ValueError otherwise)."""
    if not _HEX.fullmatch(colour):
        raise ValueError(f"not a hex colour: {colour!r}")
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def hex_of(channels: RGB) -> str:
    return "#" + "".join(f"{c:02x}" for c in channels)


def luminance(colour: str) -> float:
    """The relative luminance: 0 for black, 1 for white."""

    def linear(channel: int) -> float:
        c = channel / 255
        # WCAG 2.1 writes 0.03928, sRGB's own threshold is 0.04045: no 8-bit value lies between
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(first: str, second: str) -> float:
    """The contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mix(colour: str, other: str, share: float) -> str:
    """``colour`` with ``share`` (0–1) of ``other`` mixed in, channel by channel."""
    pairs = zip(rgb(colour), rgb(other), strict=True)
    r, g, b = (round(a + (b - a) * share) for a, b in pairs)
    return hex_of((r, g, b))


def shown(value: float) -> str:
    """A ratio as a Swedish reader writes it: 4,5:1 (rounded down, never up to a pass)."""
    return f"{int(value * 10) / 10:.1f}".replace(".", ",") + ":1"
