"""The manage link: its token leaves the URL at once for a cookie scoped to /support/manage/
(HttpOnly, SameSite=Strict, Secure on https, one hour); a new link revokes older ones; every
change is a POST carrying a CSRF token bound to the session."""

import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client

from contributions.manage import MANAGE_COOKIE
from contributions.models import Contribution
from tests.contributions.factories import make_contribution, make_contributor
from tests.contributions.manage_helpers import PAGE, csrf_of, link_path, post, signed_in

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
LINK = re.compile(r"https?://[^\s\"'<>]+/support/manage/[^\s\"'<>/]+/")


@pytest.fixture
def donor():
    contributor = make_contributor(email="donor@example.org")
    make_contribution(contributor, status="active", next_charge_on=date(2026, 12, 1))
    return contributor


def emailed_link(mailbox, count):
    messages = mailbox.wait_for(count)
    [link] = LINK.findall(messages[-1].get_body(("plain",)).get_content())
    return urlsplit(link).path


def test_opening_the_link_sets_a_strict_cookie_for_the_manage_pages_only(donor):
    response = Client().get(link_path(donor))
    assert response.status_code == 303
    assert response["Location"] == f"{PAGE}?opened"
    assert "no-store" in response["Cache-Control"] and response["Referrer-Policy"] == "no-referrer"
    cookie = response.cookies[MANAGE_COOKIE]
    assert cookie["path"] == "/support/manage/"
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["max-age"] == 3600
    assert not cookie["secure"]  # plain http here: a Secure cookie would never come back
    assert link_path(donor).strip("/").split("/")[-1] not in cookie.value


def test_the_cookie_is_secure_on_https(donor):
    response = Client().get(link_path(donor), secure=True)
    assert response.cookies[MANAGE_COOKIE]["secure"] is True


def test_no_page_after_the_link_has_the_token_in_its_address(donor):
    client = signed_in(donor)
    page = client.get(PAGE).content.decode()
    token = link_path(donor).strip("/").split("/")[-1]
    assert token not in page
    for href in re.findall(r'(?:href|action)="([^"]+)"', page):
        assert token not in href


def test_without_the_cookie_the_page_asks_for_a_new_link(donor):
    response = Client().get(PAGE)
    assert response.status_code == 410
    assert 'name="email"' in response.content.decode()


def test_a_browser_that_held_back_the_cookie_reloads_the_page_itself(donor):
    """Coming from a webmail, a browser keeps a SameSite=Strict cookie back on the redirect:
    the page reloads itself (same-site), and then the cookie goes with it."""
    response = Client().get(f"{PAGE}?opened")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<meta http-equiv="refresh" content="0; url={PAGE}">' in page
    assert f'href="{PAGE}"' in page


def test_the_session_ends_after_an_hour(donor):
    with time_machine.travel(NOW, tick=False):
        client = signed_in(donor)
        assert client.get(PAGE).status_code == 200
    with time_machine.travel(NOW + timedelta(minutes=59), tick=False):
        assert client.get(PAGE).status_code == 200
    with time_machine.travel(NOW + timedelta(minutes=61), tick=False):
        assert client.get(PAGE).status_code == 410
        contribution = donor.contributions.get()
        post(client, f"/support/manage/stop/{contribution.pk}/")
    assert donor.contributions.get().status == Contribution.Status.ACTIVE


def test_a_forged_cookie_opens_nothing(donor):
    client = Client()
    client.cookies[MANAGE_COOKIE] = f"{donor.pk}:forged"
    assert client.get(PAGE).status_code == 400


def test_asking_for_a_new_link_revokes_the_older_link_and_its_session(mailbox, donor):
    Client().post("/support/manage/", {"email": "donor@example.org"})
    first = emailed_link(mailbox, 1)
    client = Client()
    assert client.get(first).status_code == 303
    assert client.get(PAGE).status_code == 200
    Client().post("/support/manage/", {"email": "donor@example.org"})
    second = emailed_link(mailbox, 2)
    assert second != first
    assert Client().get(first).status_code == 410
    assert client.get(PAGE).status_code == 410  # the page opened with the older link too
    contribution = donor.contributions.get()
    stale = client.post(f"/support/manage/stop/{contribution.pk}/", {"csrf": csrf_of(client)})
    assert stale.status_code == 410
    assert donor.contributions.get().status == Contribution.Status.ACTIVE
    fresh = Client()
    assert fresh.get(second).status_code == 303 and fresh.get(PAGE).status_code == 200


@pytest.mark.parametrize("csrf", [None, "", "0" * 64, "another session's"])
def test_a_post_without_the_pages_csrf_token_changes_nothing(donor, csrf):
    client = signed_in(donor)
    if csrf == "another session's":
        csrf = csrf_of(signed_in(make_contributor(email="other@example.org")))
    contribution = donor.contributions.get()
    data = {} if csrf is None else {"csrf": csrf}
    for path, extra in [
        (f"/support/manage/stop/{contribution.pk}/", {}),
        (f"/support/manage/change/{contribution.pk}/", {"amount": "15", "frequency": "annual"}),
        ("/support/manage/erase/", {"confirm": "yes"}),
    ]:
        response = client.post(path, {**data, **extra})
        assert response.status_code == 403, path
        assert "Nothing was changed" in response.content.decode()
    contribution.refresh_from_db()
    assert (contribution.status, contribution.amount) == ("active", 1000)
    assert not donor.__class__.objects.get(pk=donor.pk).is_erased


@pytest.mark.parametrize("action", ["resume", "erase", "leave"])
def test_changes_are_posts_only(donor, action):
    client = signed_in(donor)
    contribution = donor.contributions.get()
    path = {
        "resume": f"/support/manage/resume/{contribution.pk}/",
        "erase": "/support/manage/erase/",
        "leave": "/support/manage/leave/",
    }[action]
    assert client.get(path).status_code == 405


def test_leaving_forgets_the_session_on_this_browser(donor):
    client = signed_in(donor)
    response = post(client, "/support/manage/leave/")
    assert response.status_code == 303
    assert response.cookies[MANAGE_COOKIE].value == ""
    assert response.cookies[MANAGE_COOKIE]["path"] == "/support/manage/"
    assert client.get(PAGE).status_code == 410
