"""The pages readers meet when something is missing or broken: in the site's language and
design, never Django's bare English ones."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Page not found"), ("ru", "Страница не найдена")],
)
def test_a_missing_page_is_said_in_the_sites_language_under_its_masthead(
    client, newsroom, settings, language, words
):
    settings.LANGUAGE_CODE = language
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert "masthead__name" in body and words in body
    assert 'href="/"' in body  # a way back to the front page


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Something went wrong"), ("ru", "Что-то пошло не так")],
)
def test_a_server_error_page_needs_no_database_and_speaks_the_sites_language(
    settings, language, words
):
    """No `db` fixture: the page must render even when the database is what failed."""
    settings.LANGUAGE_CODE = language
    response = server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}">' in body and words in body
    assert "newsroom/site" in body  # the site's own stylesheet


@pytest.mark.django_db
def test_with_no_site_yet_a_missing_page_and_an_unknown_contribution_are_404_not_500(client):
    # A fresh database has no Site: the 404 page (in the site's design) rendered the
    # newsroom's settings and raised, so every 404 became a 500 (the API fuzzer found it:
    # GET /api/contributions/<unknown id>/status).
    from wagtail.models import Site

    Site.objects.all().delete()
    client.raise_request_exception = False
    assert client.get("/no-such-page/").status_code == 404
    answer = client.get("/api/contributions/e3e70682-c209-1cac-a29f-6fbed82c07cd/status")
    assert answer.status_code == 404
    assert answer["Content-Type"].startswith("application/json")
