"""The HTML report's colours, checked for contrast, and its stylesheet.

Every colour pair the page puts text in is declared here once, as CSS custom properties;
the stylesheet (``html_assets/report.css``) uses only these. :func:`contrast_ratio` is the
WCAG 2 formula, and the tests hold every pair to at least :data:`MIN_CONTRAST` (AA for
normal text). Status and outcome are never told by colour alone: each badge carries its
word, and a glyph, so the page reads the same in greyscale and to a screen reader.
"""

from __future__ import annotations

from importlib.resources import files

#: WCAG 2 AA for normal-size text.
MIN_CONTRAST = 4.5

#: name -> (text colour, background colour): every pair the page sets text in.
COLOUR_PAIRS: dict[str, tuple[str, str]] = {
    "page": ("#1a1a1a", "#ffffff"),
    "muted": ("#4d4d4d", "#ffffff"),
    "link": ("#0b47a1", "#ffffff"),
    "panel": ("#1a1a1a", "#f3f5f8"),
    "header-cell": ("#1a1a1a", "#e8ebf0"),
    "quote": ("#2b2b2b", "#f7f7f2"),
    "met": ("#0b5a1f", "#e2f3e6"),
    "unmet": ("#8c1010", "#fce6e6"),
    "unknown": ("#5a3e00", "#fff1c7"),
    # A fact's value: neutral, neither the colour of met nor of unmet.
    "fact": ("#1a1a1a", "#eef0f3"),
    "authorized": ("#ffffff", "#17622f"),
    "not-authorized": ("#ffffff", "#a3161a"),
    "undetermined": ("#2e2300", "#f2c14e"),
    "changed": ("#0d2b6b", "#dbe6ff"),
    "decisive": ("#5b1a00", "#ffe3d2"),
}


#: Projector view and a reader asking for more contrast: text colour pairs held to
#: :data:`PROJECTOR_CONTRAST` (AAA), since a projector washes out light tints and thin type.
PROJECTOR_PAIRS: dict[str, tuple[str, str]] = {
    "page": ("#000000", "#ffffff"),
    "muted": ("#1f1f1f", "#ffffff"),
    "link": ("#002a80", "#ffffff"),
    "panel": ("#000000", "#f0f2f5"),
    "header-cell": ("#000000", "#dde2ea"),
    "quote": ("#000000", "#f5f5ee"),
    "met": ("#003d12", "#d4efd9"),
    "unmet": ("#6b0000", "#fbd9d9"),
    "unknown": ("#3d2a00", "#ffe9a8"),
    "authorized": ("#ffffff", "#0b4a1f"),
    "not-authorized": ("#ffffff", "#7d0a0d"),
    "undetermined": ("#000000", "#f2c14e"),
    "changed": ("#001a4d", "#cfdcff"),
    "decisive": ("#3d1000", "#ffd6bd"),
}
#: WCAG 2 AAA for normal-size text: the projector view's floor.
PROJECTOR_CONTRAST = 7.0


def _channel(value: int) -> float:
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _declarations(selector: str, pairs: dict[str, tuple[str, str]]) -> list[str]:
    lines = [f"{selector} {{"]
    for name, (foreground, background) in pairs.items():
        lines.append(f"  --{name}-fg: {foreground};")
        lines.append(f"  --{name}-bg: {background};")
    lines.append("}")
    return lines


def custom_properties() -> str:
    """The colour pairs as CSS custom properties (``--met-fg``, ``--met-bg`` ...).

    On screen, the projector pairs replace them when the page's projector box is ticked
    or the reader's system asks for more contrast; print keeps the ordinary pairs.
    """
    lines = _declarations(":root", COLOUR_PAIRS)
    lines.append("@media screen and (prefers-contrast: more) {")
    lines += _declarations(":root", PROJECTOR_PAIRS)
    lines.append("}")
    lines.append("@media screen {")
    lines += _declarations("html:has(#fc-projector:checked)", PROJECTOR_PAIRS)
    lines.append("}")
    return "\n".join(lines)


def asset(name: str) -> str:
    """A file of ``html_assets`` (shipped as package data) as text."""
    return (files(__package__) / "html_assets" / name).read_text(encoding="utf-8")


def stylesheet() -> str:
    """The page's whole stylesheet: colours, screen layout and print rules."""
    return custom_properties() + "\n" + asset("report.css")
