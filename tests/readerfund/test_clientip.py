"""Which address is the reader's, behind no proxy, nginx, a CDN, and against forged headers."""

import pytest
from django.test import RequestFactory

from readerfund.lib.clientip import client_ip, trusted_networks

CDN = "198.51.100.0/24"  # a CDN's edge network (documentation range)
READER = "203.0.113.9"


def address(settings, remote, forwarded=None, **headers):
    meta = {"REMOTE_ADDR": remote, **headers}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_without_a_proxy_the_peer_is_the_reader_and_forged_headers_are_ignored(settings):
    settings.READERFUND_TRUSTED_PROXIES = []
    assert address(settings, READER, "1.2.3.4") == READER
    settings.READERFUND_CLIENT_IP_HEADER = "CF-Connecting-IP"
    assert address(settings, READER, HTTP_CF_CONNECTING_IP="1.2.3.4") == READER


def test_behind_nginx_on_this_machine_the_address_it_appended_is_the_reader(settings):
    assert address(settings, "127.0.0.1", READER) == READER
    assert address(settings, "::1", READER) == READER


def test_a_reader_who_forges_x_forwarded_for_through_nginx_gets_their_own_address(settings):
    # The reader wrote 1.2.3.4 themselves; nginx appended what it saw.
    assert address(settings, "127.0.0.1", f"1.2.3.4, {READER}") == READER


def test_a_reader_reaching_the_app_port_directly_cannot_choose_an_address(settings):
    assert address(settings, READER, "127.0.0.1, 1.2.3.4") == READER


def test_behind_a_cdn_and_nginx_the_reader_is_not_the_cdn_edge(settings):
    settings.READERFUND_TRUSTED_PROXIES = ["127.0.0.1", CDN]
    assert address(settings, "127.0.0.1", f"{READER}, 198.51.100.7") == READER
    # Two readers behind the same edge have two addresses, not one bucket.
    assert address(settings, "127.0.0.1", "203.0.113.10, 198.51.100.7") == "203.0.113.10"
    # And a forged entry to the left changes nothing.
    assert address(settings, "127.0.0.1", f"6.6.6.6, {READER}, 198.51.100.7") == READER


def test_a_cdn_header_is_read_only_from_a_trusted_peer(settings):
    settings.READERFUND_TRUSTED_PROXIES = [CDN]
    settings.READERFUND_CLIENT_IP_HEADER = "CF-Connecting-IP"
    assert address(settings, "198.51.100.7", "6.6.6.6", HTTP_CF_CONNECTING_IP=READER) == READER
    assert address(settings, "192.0.2.1", HTTP_CF_CONNECTING_IP=READER) == "192.0.2.1"
    # A trusted peer without the header (or with garbage in it): the peer itself.
    assert address(settings, "198.51.100.7", HTTP_CF_CONNECTING_IP="nope") == "198.51.100.7"


def test_odd_entries_never_become_an_address(settings):
    assert address(settings, "127.0.0.1", f"garbage, {READER}") == READER
    assert address(settings, "127.0.0.1", "127.0.0.1, not-an-ip") == "127.0.0.1"
    assert address(settings, "127.0.0.1", f"[2001:db8::1]:443, {READER}:5678") == READER
    assert address(settings, "127.0.0.1", "") == "127.0.0.1"
    # Every hop trusted: the left-most is as far as can be seen.
    assert address(settings, "127.0.0.1", "127.0.0.1, ::1") == "127.0.0.1"


def test_a_bad_trusted_proxy_entry_is_refused():
    with pytest.raises(ValueError, match="not-a-network"):
        trusted_networks(("127.0.0.1", "not-a-network"))
