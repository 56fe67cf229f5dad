"""The onion service: READERFUND_ONION_URL's Onion-Location header, and the shipped torrc."""

import shutil
import subprocess
from pathlib import Path

import pytest

ONION_HOST = "c" * 56 + ".onion"
ONION = f"http://{ONION_HOST}"
TORRC = Path(__file__).resolve().parents[2] / "docs" / "deploy" / "torrc"
TOR = shutil.which("tor") or ("/usr/sbin/tor" if Path("/usr/sbin/tor").exists() else None)


@pytest.fixture
def onion(settings):
    settings.ONION_URL = ONION
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ONION_HOST]


def test_every_reader_page_names_the_same_page_on_the_onion_service(client, onion, article):
    for url in ["/", "/news/", "/news/?page=2", article.url, "/feed/", "/support/"]:
        response = client.get(url)
        assert response["Onion-Location"] == ONION + url, url


def test_the_kept_page_names_the_onion_page_without_tracking_parameters(
    transactional_db, onion, newsroom, article
):
    from readerfund.lib.pagecache import PageCacheApp
    from tests.wsgi import CountingApp, request

    app = PageCacheApp(CountingApp())
    first = request(app, "/news/?page=2&utm_source=mail")
    again = request(app, "/news/?utm_source=other&page=2")
    assert first[1]["Onion-Location"] == again[1]["Onion-Location"] == f"{ONION}/news/?page=2"
    assert app.app.calls == 1


def test_the_onion_service_answers_and_names_no_other_onion(client, onion, article):
    response = client.get(article.url, HTTP_HOST=ONION_HOST)
    assert response.status_code == 200
    assert "Onion-Location" not in response


def test_no_onion_location_without_an_onion_address(client, article):
    assert "Onion-Location" not in client.get(article.url)


def test_the_admin_gets_no_onion_location(client, onion, db):
    assert "Onion-Location" not in client.get("/admin/login/")


@pytest.mark.database_independent  # tor reads a file
@pytest.mark.skipif(TOR is None, reason="tor is not installed (make test installs it)")
def test_the_shipped_torrc_is_one_tor_accepts(tmp_path):
    text = TORRC.read_text()
    assert "HiddenServicePort 80 127.0.0.1:8000" in text  # `readerfund serve`'s default port
    # Its own directories here, so that checking it creates nothing under /var/lib/tor.
    text = text.replace("/var/lib/tor/readerfund/", f"{tmp_path}/onion/")
    torrc = tmp_path / "torrc"
    torrc.write_text(text + f"\nDataDirectory {tmp_path}/data\n")
    done = subprocess.run(
        [TOR, "--verify-config", "-f", str(torrc)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Configuration was valid" in done.stdout


@pytest.mark.database_independent  # tor reads a file
@pytest.mark.skipif(TOR is None, reason="tor is not installed (make test installs it)")
def test_tor_would_refuse_a_broken_torrc(tmp_path):
    """The check above can fail: a service pointed nowhere is refused."""
    torrc = tmp_path / "torrc"
    torrc.write_text(f"HiddenServiceDir {tmp_path}/onion\nHiddenServicePort 80 nowhere:x\n")
    done = subprocess.run(
        [TOR, "--verify-config", "-f", str(torrc), "--DataDirectory", str(tmp_path / "data")],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
