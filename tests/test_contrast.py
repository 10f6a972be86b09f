"""White text on the site's solid accent fills meets WCAG AA (4.5:1).

The browser tests' axe run checks rendered pages; this pins the colours
themselves, including the hover shade axe never sees.
"""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[1] / "static" / "css" / "site.css"


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    red, green, blue = linear
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def variable(name: str) -> str:
    return re.search(rf"{name}:\s*(#[0-9a-fA-F]{{6}});", CSS.read_text()).group(1)


@pytest.mark.parametrize("name", ["--accent-fill", "--accent-fill-strong"])
def test_white_text_on_accent_fills_is_readable(name):
    assert contrast("#ffffff", variable(name)) >= 4.5


def test_the_bright_accent_is_not_a_fill_under_white_text():
    text_on_accent = re.findall(
        r"\{[^}]*background: var\(--accent\);[^}]*color: #fff;[^}]*\}"
        r"|\{[^}]*color: #fff;[^}]*background: var\(--accent\);[^}]*\}",
        CSS.read_text(),
    )
    assert contrast("#ffffff", variable("--accent")) < 4.5
    assert text_on_accent == []
