"""Django-side helpers for bench/pages.py, run in the bench's throwaway data dir:

    python bench/newsroom_load.py articles N LIST_FILE   # N more articles; their paths to LIST_FILE
    python bench/newsroom_load.py publish EVERY_S PATH  # publish an edit of PATH every EVERY_S s

`articles` builds a long tail of distinct articles (text bodies, the demo's images and tags,
spread over the demo's sections) without revisions, as an import would. `publish` runs until
SIGTERM and prints one line per publish, so the bench can count them.
"""

import os
import random
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readerfund.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.images import get_image_model  # noqa: E402
from wagtail.models import Page  # noqa: E402

from newsroom.models import ArticlePage, Author, SectionPage  # noqa: E402

WORDS = [
    "budget",
    "council",
    "river",
    "strike",
    "court",
    "harbour",
    "archive",
    "winter",
    "ministry",
    "election",
    "school",
    "factory",
    "border",
    "railway",
    "hospital",
    "museum",
    "inquiry",
    "pension",
    "grain",
    "village",
]


def paragraph(rng: random.Random, words: int = 60) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def make_articles(count: int, list_file: Path) -> None:
    rng = random.Random(1)
    sections = list(SectionPage.objects.live())
    images = list(get_image_model().objects.all())
    authors = list(Author.objects.all())
    tags = ["courts", "energy", "exile", "schools", "weather", "prices"]
    paths = []
    started = time.monotonic()
    for n in range(count):
        section = sections[n % len(sections)]
        article = ArticlePage(
            title=f"Long-tail story {n:05}: the {rng.choice(WORDS)} {rng.choice(WORDS)}",
            slug=f"long-tail-{n:05}",
            standfirst=paragraph(rng, 20),
            lead_image=rng.choice(images) if images else None,
            body=[("paragraph", f"<p>{paragraph(rng)}</p>") for _ in range(6)],
            first_published_at=timezone.now(),
            live=True,
        )
        with transaction.atomic():
            section.add_child(instance=article)
            article.authors.set(rng.sample(authors, k=min(2, len(authors))))
            article.tags.add(*rng.sample(tags, k=2))
            article.save()
        paths.append(article.url)
        if n % 1000 == 999:
            print(f"{n + 1} articles, {time.monotonic() - started:.0f} s", flush=True)
    list_file.write_text("\n".join(paths) + "\n")


def publish_every(seconds: float, path: str) -> None:
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    # The other editions' translations share the slug: the page is the one at this path.
    (page,) = [p for p in Page.objects.filter(url_path__endswith=f"/{slug}/") if p.url == path]
    article = page.specific
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    n = 0
    while not stopping:
        time.sleep(seconds)
        n += 1
        article.standfirst = f"{article.standfirst.split(' [')[0]} [edit {n}]"
        article.save_revision().publish()
        print(f"published {n}", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "articles":
        make_articles(int(sys.argv[2]), Path(sys.argv[3]))
    elif sys.argv[1] == "publish":
        publish_every(float(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(__doc__)
