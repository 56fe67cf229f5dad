"""Money and dates through Babel (readerfund/lib/l10n.py) against Django's own number_format,
which it replaced: microseconds per call, in English and Russian, with the ratio.

    .venv/bin/python bench/l10n.py [--calls 20000]

Three figures per language: one amount formatted again and again (what a page does with its
presets and its monthly cost: kept after the first), distinct amounts (every one formatted
from scratch), and a long date; the reference is Django's number_format of the same amount
(which knew neither the symbol's place nor the minus sign). Runs in a second or two.
"""

import argparse
import os
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def per_call(function, calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        function()
    return (time.perf_counter() - started) / calls * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20000)
    calls = parser.parse_args().calls

    import django

    django.setup()
    from django.utils import translation
    from django.utils.formats import number_format

    from contributions.money import Money
    from readerfund.lib import l10n

    same = Money(123456, "USD")
    distinct = iter([Money(random.randrange(1, 10**9), "USD") for _ in range(calls)])
    for language in ("en", "ru"):
        with translation.override(language):
            babel = per_call(same.format, calls)
            fresh = per_call(lambda: next(distinct).format(), calls // 2)
            django_ = per_call(
                lambda: number_format(same.major, 2, use_l10n=True, force_grouping=True), calls
            )
            day = per_call(lambda: l10n.long_date(date(2027, 1, 1)), calls)
            print(
                f"{language}: Money.format {babel:.1f} µs (kept), {fresh:.1f} µs (new amount); "
                f"Django number_format {django_:.1f} µs; ratio {babel / django_:.2f} kept, "
                f"{fresh / django_:.2f} new; long_date {day:.1f} µs"
            )


if __name__ == "__main__":
    main()
