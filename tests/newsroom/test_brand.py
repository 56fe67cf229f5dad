"""Emails use the newsroom's colours, which its stylesheet sets."""

import re
from pathlib import Path

from newsroom import brand

SITE_CSS = Path(__file__).resolve().parents[2] / "newsroom/static/newsroom/site.css"


def test_the_email_colours_are_the_stylesheets():
    root = re.search(r":root\s*{([^}]*)}", SITE_CSS.read_text())[1]
    colours = dict(re.findall(r"--([\w-]+):\s*([^;]+);", root))
    assert (colours["accent"], colours["accent-ink"]) == (brand.ACCENT, brand.ACCENT_INK)
