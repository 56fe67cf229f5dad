"""readerfund.lib.staticfiles: a static file's URL is worked out once per process, and is
the URL Django's manifest storage gives."""

import json
import os

import pytest
from django.test import override_settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

from readerfund.lib import staticfiles
from readerfund.lib.staticfiles import StaticFilesStorage

MANIFEST = {
    "version": "1.1",
    "hash": "0123456789ab",
    "paths": {
        "newsroom/site.css": "newsroom/site.0123456789ab.css",
        "a b.js": "a b.fedcba987654.js",
    },
}


@pytest.fixture
def root(tmp_path):
    (tmp_path / "staticfiles.json").write_text(json.dumps(MANIFEST))
    return tmp_path


@override_settings(DEBUG=False, STATIC_URL="/static/")
def test_each_url_is_djangos_and_worked_out_once(root, monkeypatch):
    ours = StaticFilesStorage(location=str(root), base_url="/static/")
    django = CompressedManifestStaticFilesStorage(location=str(root), base_url="/static/")
    for name in MANIFEST["paths"]:
        assert ours.url(name) == django.url(name)
    looked_up = []
    original = ours.stored_name
    monkeypatch.setattr(ours, "stored_name", lambda name: looked_up.append(name) or original(name))
    for _ in range(3):
        ours.url("newsroom/site.css")
    assert looked_up == []


@override_settings(DEBUG=False, STATIC_URL="/static/")
def test_a_name_missing_from_the_manifest_fails_every_time_and_is_not_kept(root):
    ours = StaticFilesStorage(location=str(root), base_url="/static/")
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            ours.url("newsroom/missing.css")
    assert "newsroom/missing.css" not in ours._urls


# Collecting only when the sources changed (`readerfund serve` at each start) ---------------


@pytest.fixture
def sources(tmp_path):
    """A static folder of two files, collected into tmp_path/static by our storage."""
    source = tmp_path / "src"
    (source / "site").mkdir(parents=True)
    (source / "site" / "site.css").write_text("body { color: #111; }")
    (source / "site" / "app.js").write_text("console.log(1);")
    storage = {"BACKEND": "readerfund.lib.staticfiles.StaticFilesStorage"}
    with override_settings(
        STATIC_ROOT=str(tmp_path / "static"),
        STATICFILES_DIRS=[str(source)],
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                  "staticfiles": storage},
    ):  # fmt: skip
        yield source


def collected(tmp_path) -> set[str]:
    root = tmp_path / "static"
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_a_second_start_with_the_same_sources_collects_nothing(sources, tmp_path):
    assert staticfiles.collect() is True
    files = collected(tmp_path)
    assert {"site/site.css", "site/app.js", "staticfiles.json"} <= files
    (tmp_path / "static" / "site" / "app.js").unlink()  # would come back if it collected
    assert staticfiles.collect() is False
    assert "site/app.js" not in collected(tmp_path)
    assert not (tmp_path / "static" / "static.sources").exists()  # beside it, not served


def test_a_changed_added_or_removed_source_file_is_collected_again(sources, tmp_path):
    assert staticfiles.collect() is True
    (sources / "site" / "new.css").write_text("p { margin: 0; }")
    assert staticfiles.collect() is True
    assert "site/new.css" in collected(tmp_path)
    css = sources / "site" / "site.css"
    css.write_text("body { color: #222; }")
    os.utime(css, ns=(css.stat().st_atime_ns, css.stat().st_mtime_ns + 1_000_000_000))
    assert staticfiles.collect() is True
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    assert "#222" in (tmp_path / "static" / manifest["site/site.css"]).read_text()
    (sources / "site" / "new.css").unlink()
    assert staticfiles.collect() is True
    assert staticfiles.collect() is False


def test_a_missing_manifest_or_other_settings_collect_again(sources, tmp_path):
    assert staticfiles.collect() is True
    (tmp_path / "static" / "staticfiles.json").unlink()
    assert staticfiles.collect() is True
    assert (tmp_path / "static" / "staticfiles.json").is_file()
    with override_settings(STATIC_URL="/assets/"):
        assert staticfiles.collect() is True
    assert staticfiles.collect() is True  # back to /static/: collected for /assets/ last


def test_a_collect_that_fails_leaves_no_record_and_runs_again(sources, tmp_path, monkeypatch):
    assert staticfiles.collect() is True
    (sources / "site" / "broken.css").write_text("a { background: url(missing.png); }")
    with pytest.raises(ValueError, match="missing.png"):
        staticfiles.collect()  # the manifest storage refuses a reference to no file
    assert not (tmp_path / "static.sources").exists()
    (sources / "site" / "broken.css").unlink()
    assert staticfiles.collect() is True
