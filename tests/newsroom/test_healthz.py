from unittest import mock

from django.db.utils import OperationalError


def test_healthz_says_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "local"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_does_not_answer(client, db):
    # A database outage cannot be staged inside the test transaction, so the cursor is
    # made to fail the way a lost connection does.
    with mock.patch("readerfund.views.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
