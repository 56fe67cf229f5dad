"""A donor on /support/manage/: opening the emailed link, then posting its forms."""

from django.test import Client

from contributions.manage import MANAGE_COOKIE, csrf_token, manage_token

PAGE = "/support/manage/contributions/"


def link_path(contributor) -> str:
    return f"/support/manage/{manage_token(contributor)}/"


def signed_in(contributor, client: Client | None = None) -> Client:
    """A browser that opened the donor's newest link: it holds the manage cookie. Django's
    own CSRF check is on, as in a browser (the test client turns it off by default)."""
    client = client or Client(enforce_csrf_checks=True)
    response = client.get(link_path(contributor))
    assert response.status_code == 303, response.status_code
    return client


def csrf_of(client: Client) -> str:
    return csrf_token(client.cookies[MANAGE_COOKIE].value)


def post(client: Client, path: str, data: dict | None = None, **kwargs):
    """A form of the manage pages, posted as the page would: with its CSRF token."""
    return client.post(path, {"csrf": csrf_of(client), **(data or {})}, **kwargs)
