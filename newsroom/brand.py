"""The newsroom's colours where its stylesheet cannot reach: emails carry them inline.

They are site.css's `--accent` and `--accent-ink` (light scheme); a test holds them equal.
"""

ACCENT = "#8c1c13"
ACCENT_INK = "#ffffff"
