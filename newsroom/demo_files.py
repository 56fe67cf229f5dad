"""The demo newsroom's content, read from data files in newsroom/demo_content/.

`newsroom.toml` holds the newsroom, its sections and authors; `articles/<slug>.md` one
article each: TOML front matter between `+++` lines (slug, section, headline, standfirst,
authors, tags, published, updated, and the lead image's caption, credit and hue), then the
body in a small Markdown subset: paragraphs separated by blank lines (inline HTML such as
`<i>` kept as written), `## ` subheads, and `> ` quotes whose last line may be
`> — attribution`. Everything in it was written for the demo and is fictional.

`demo_content/ru/` holds the Russian edition in the same shape, written for Russian readers
(not translated line by line); an article there has the slug of the English one it tells.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
ATTRIBUTION = "— "


@dataclass(frozen=True)
class DemoContent:
    newsroom: dict
    sections: list[dict]
    authors: list[dict]
    articles: list[dict]


def directory_for(language: str) -> Path:
    """The demo's content in a language: `demo_content/<language>/` if there is one, else
    the English content."""
    localized = CONTENT_DIR / language
    return localized if (localized / "newsroom.toml").exists() else CONTENT_DIR


def written_in(language: str) -> bool:
    """Whether the demo has content of its own in `language` (English is the default)."""
    return language == "en" or (CONTENT_DIR / language / "newsroom.toml").exists()


def load(directory: Path = CONTENT_DIR) -> DemoContent:
    with (directory / "newsroom.toml").open("rb") as file:
        data = tomllib.load(file)
    articles = [article(path.read_text()) for path in sorted(directory.glob("articles/*.md"))]
    return DemoContent(data["newsroom"], data["sections"], data["authors"], articles)


def article(text: str) -> dict:
    """One article file: its front matter as a dict, with `body` as (kind, value) blocks."""
    _, front, body = text.split("+++\n", 2)
    spec = tomllib.loads(front)
    spec.setdefault("updated", None)
    spec["body"] = [_block(chunk) for chunk in body.strip().split("\n\n")]
    return spec


def _block(chunk: str) -> tuple:
    if chunk.startswith("## "):
        return ("subhead", chunk[3:].strip())
    lines = chunk.splitlines()
    if not chunk.startswith("> "):
        return ("paragraph", " ".join(lines))
    quoted = [line[2:] for line in lines]
    attribution = ""
    if quoted[-1].startswith(ATTRIBUTION):
        attribution = quoted.pop()[len(ATTRIBUTION) :]
    return ("quote", {"text": " ".join(quoted), "attribution": attribution})
