"""The Russian catalogue: complete, compiled, and the one Django serves.

Refresh it after adding strings (see README, Translations): makemessages, translate, then
compilemessages; the compiled .mo is committed so a machine without gettext still gets Russian.
"""

import ast
import gettext as gnu_gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "ru" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\w*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    def __str__(self):
        return repr(self.msgid) if self.msgctxt is None else f"{self.msgctxt!r}|{self.msgid!r}"


def parse_po(text: str) -> list[Entry]:
    """Entries of a .po file, header first; obsolete (#~) entries are left out.

    Enough of the format for what makemessages writes: comments and flags, msgctxt, msgid,
    msgid_plural, msgstr and msgstr[n], each possibly continued over several quoted lines."""
    entries: list[Entry] = []
    entry = Entry()
    key = ("msgid", 0)
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith(("#", "msgctxt ", "msgid ")) and entry.msgstr:
            entries.append(entry)
            entry = Entry()
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            plural_form = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            key = ("msgstr", int(plural_form[1])) if plural_form else (keyword, 0)
        name, index = key
        if name == "msgstr":
            entry.msgstr[index] = entry.msgstr.get(index, "") + value
        else:
            setattr(entry, name, (getattr(entry, name) or "") + value)
    if entry.msgstr:
        entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def parsed() -> list[Entry]:
    return parse_po(PO_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def entries(parsed) -> list[Entry]:
    messages = [e for e in parsed if e.msgid]
    assert len(messages) > 10, "the parser found suspiciously few messages"
    return messages


@pytest.fixture(scope="module")
def compiled() -> gnu_gettext.GNUTranslations:
    assert MO_FILE.exists(), "run compilemessages: the .mo is missing"
    with MO_FILE.open("rb") as fp:
        return gnu_gettext.GNUTranslations(fp)


def test_the_po_header_is_filled_in_for_russian(parsed):
    header = parsed[0]
    assert header.msgid == "", "the .po should start with its header"
    assert "fuzzy" not in header.flags, "the .po header is still marked fuzzy"
    assert "Language: ru\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=" in header.msgstr[0]


def test_every_string_has_a_russian_translation(entries):
    untranslated = [str(e) for e in entries if not all(e.msgstr.values()) or not e.msgstr]
    assert not untranslated, f"untranslated: {untranslated}"


def test_no_translation_is_left_fuzzy(entries):
    fuzzy = [str(e) for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, f"fuzzy (check and remove the flag): {fuzzy}"


def test_plural_strings_have_every_russian_form(entries, compiled):
    nplurals = int(re.search(r"nplurals=(\d+)", compiled.info()["plural-forms"])[1])
    short = [str(e) for e in entries if e.msgid_plural and len(e.msgstr) != nplurals]
    assert not short, f"need {nplurals} forms: {short}"


def test_translations_keep_every_placeholder(entries):
    broken = [
        str(e)
        for e in entries
        for text in e.msgstr.values()
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(e.msgid))
    ]
    assert not broken, f"placeholders differ from the English: {broken}"


def test_compiled_catalogue_matches_the_po_file(entries, compiled):
    stale = []
    for e in entries:
        if "fuzzy" in e.flags or not all(e.msgstr.values()):
            continue  # msgfmt leaves these out; the tests above report them
        if e.msgid_plural is None:
            if e.msgctxt is None:
                got = compiled.gettext(e.msgid)
            else:
                got = compiled.pgettext(e.msgctxt, e.msgid)
            if got != e.msgstr[0]:
                stale.append(str(e))
            continue
        for n in range(200):
            if e.msgctxt is None:
                got = compiled.ngettext(e.msgid, e.msgid_plural, n)
            else:
                got = compiled.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
            if got != e.msgstr[compiled.plural(n)]:
                stale.append(f"{e} (n={n})")
                break
    assert not stale, f"the .mo is out of date, run compilemessages: {stale}"


def test_django_serves_read_more_in_russian():
    with translation.override("ru"):
        assert translation.gettext("Read more") == "Читать также"


def test_django_serves_our_translation_of_every_string(entries):
    """LOCALE_PATHS wins over Django's and Wagtail's own catalogues ("English", "Image")."""
    with translation.override("ru"):
        wrong = [
            str(e)
            for e in entries
            if e.msgid_plural is None
            and e.msgctxt is None
            and translation.gettext(e.msgid) != e.msgstr[0]
        ]
    assert not wrong, f"Django serves another translation for: {wrong}"


def test_a_things_name_and_a_persons_name_are_told_apart_in_russian():
    from django.utils import translation

    from appeals.models import Appeal
    from contributions.models import Contributor

    with translation.override("ru"):
        assert str(Appeal._meta.get_field("name").verbose_name) == "название"
        assert str(Contributor._meta.get_field("name").verbose_name) == "имя"
