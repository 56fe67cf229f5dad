"""readerfund.lib.staticfiles: a static file's URL is worked out once per process, and is
the URL Django's manifest storage gives."""

import json

import pytest
from django.test import override_settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

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
