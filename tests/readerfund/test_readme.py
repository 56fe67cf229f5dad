"""The README's first screen tells a newcomer how to run the demo, also on other ports."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIRST_SCREEN = 45  # lines


def test_the_first_screen_says_how_to_run_the_demo_on_other_ports():
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:FIRST_SCREEN])
    for needed in ["make demo PORT=", "STRIPE_EMULATOR_PORT=", "--stripe-emulator",
                   "READERFUND_SITE_URL=", "send-reminders"]:  # fmt: skip
        assert needed in first_screen, needed


def test_the_ports_the_readme_names_are_the_makefiles_variables():
    makefile = (ROOT / "Makefile").read_text()
    assert "PORT ?= 8000" in makefile and "STRIPE_EMULATOR_PORT ?= 8420" in makefile
