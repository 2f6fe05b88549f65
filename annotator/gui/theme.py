"""Light and dark palettes, and how a label colour is turned into span paint.

Label colours come from the schema (mid-tone Tableau colours). On text they are used
as translucent tints so the text colour keeps its contrast in both palettes; tags use
the full colour with black or white text, whichever contrasts more.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

UNKNOWN_LABEL = "#999999"  # a label the schema has no colour for (renamed or removed)


@dataclass(frozen=True)
class Theme:
    name: str
    window: str
    base: str
    alt_base: str
    text: str
    muted: str
    highlight: str
    highlight_text: str
    accepted_alpha: int  # tint of an accepted span's background
    suggested_alpha: int  # lighter tint of a suggestion (plus a dashed outline)
    selection_outline: str


LIGHT = Theme(
    "light",
    "#eef0f3",
    "#fcfcfa",
    "#f3f4f6",
    "#1f2328",
    "#6a737d",
    "#2f6feb",
    "#ffffff",
    80,
    34,
    "#111111",
)
DARK = Theme(
    "dark",
    "#1e2126",
    "#24272d",
    "#2b2f36",
    "#e4e6eb",
    "#9aa4b2",
    "#4c8dff",
    "#ffffff",
    105,
    45,
    "#ffffff",
)
THEMES = {"light": LIGHT, "dark": DARK}


def theme(name: str) -> Theme:
    return THEMES.get(name, LIGHT)


def apply_palette(app: QApplication, t: Theme) -> None:
    """Fusion + our palette: the same look on every platform, in both modes."""
    app.setStyle("Fusion")
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: t.window,
        QPalette.ColorRole.WindowText: t.text,
        QPalette.ColorRole.Base: t.base,
        QPalette.ColorRole.AlternateBase: t.alt_base,
        QPalette.ColorRole.Text: t.text,
        QPalette.ColorRole.Button: t.window,
        QPalette.ColorRole.ButtonText: t.text,
        QPalette.ColorRole.Highlight: t.highlight,
        QPalette.ColorRole.HighlightedText: t.highlight_text,
        QPalette.ColorRole.ToolTipBase: t.base,
        QPalette.ColorRole.ToolTipText: t.text,
        QPalette.ColorRole.PlaceholderText: t.muted,
        QPalette.ColorRole.Mid: t.muted,
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(t.muted))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(t.muted))
    app.setPalette(p)


def tint(colour: str, alpha: int) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c


def ink_on(colour: str) -> QColor:
    """Black or white, whichever reads better on ``colour`` (WCAG relative luminance)."""
    c = QColor(colour)

    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())
    return QColor("#111111") if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else QColor("#ffffff")
