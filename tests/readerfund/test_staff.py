"""Staff accounts are not the way in (issue 13, item 7): a second factor before any admin
page, throttled sign-ins, sessions that end, no /django-admin/, HSTS and the admin's CSP."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from readerfund.staff import enrol_authenticator
from tests.staff_helpers import password_only_login

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ["/admin/", "/admin/pages/", "/admin/users/", "/admin/giving/contributions/"]


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("editor", "e@example.org", "a long passphrase")


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_a_password_alone_reaches_no_admin_page(client, editor, page):
    password_only_login(client, editor)
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/2fa/verify/?next=")


@pytest.mark.parametrize("path", ["/admin/jsi18n/", "/admin/sprite/"])
def test_the_second_factors_page_gets_what_it_loads(client, editor, path):
    """The translations and icons Wagtail gives anyone (the sign-in page loads them before
    any password); the verify page loads them too, and a redirect put a copy of the verify
    page where the icons go, hiding the error."""
    assert Client().get(path).status_code == 200  # given to anyone
    password_only_login(client, editor)
    assert client.get(path).status_code == 200


def test_a_first_sign_in_enrols_an_authenticator_and_shows_recovery_codes_once(client, editor):
    password_only_login(client, editor)
    page = client.get("/admin/2fa/verify/?next=/admin/pages/", follow=True)
    assert page.redirect_chain[-1][0].startswith("/admin/2fa/setup/")
    text = page.content.decode()
    assert "<svg" in text and "data-secret" in text
    device = TOTPDevice.objects.get(user=editor, confirmed=False)

    wrong = client.post("/admin/2fa/setup/", {"code": "000000", "next": "/admin/pages/"})
    assert wrong.status_code == 400
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):  # past the throttle
        code = current_code(device)
        done = client.post("/admin/2fa/setup/", {"code": code, "next": "/admin/pages/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([0-9a-f]{10})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/admin/pages/").status_code == 200

    # Next time: the recovery code works once.
    other = Client()
    password_only_login(other, editor)
    assert other.get("/admin/").status_code == 302
    ok = other.post("/admin/2fa/verify/", {"code": codes[0], "next": "/admin/pages/"})
    assert ok.status_code == 302 and ok["Location"] == "/admin/pages/"
    assert other.get("/admin/").status_code == 200
    again = Client()
    password_only_login(again, editor)
    assert again.post("/admin/2fa/verify/", {"code": codes[0]}).status_code == 400


def test_verifying_with_the_authenticator_app_opens_the_admin(client, editor):
    device, _ = enrol_authenticator(editor)
    password_only_login(client, editor)
    wrong = client.post("/admin/2fa/verify/", {"code": "123 456"})
    assert wrong.status_code == 400
    assert "This code is not right" in wrong.content.decode()  # said, not only refused
    assert client.get("/admin/").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):  # past the throttle
        response = client.post(
            "/admin/2fa/verify/", {"code": current_code(device), "next": "https://evil.example/"}
        )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_sign_ins_are_throttled_per_account_with_a_clear_message(editor):
    answers = [
        Client(REMOTE_ADDR=f"10.0.0.{n}")
        .post("/admin/login/", {"username": "editor", "password": "wrong"})
        .status_code
        for n in range(5)
    ]
    assert answers == [200, 200, 200, 200, 429]  # the form again, then locked at the fifth
    locked = Client(REMOTE_ADDR="10.0.0.99").post(
        "/admin/login/", {"username": "editor", "password": "a long passphrase"}
    )
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert locked["Retry-After"] == "900"


def test_sign_ins_are_throttled_per_address(editor):
    client = Client(REMOTE_ADDR="10.0.0.7")
    for number in range(5):
        client.post("/admin/login/", {"username": f"nobody{number}", "password": "x"})
    locked = client.post("/admin/login/", {"username": "editor", "password": "a long passphrase"})
    assert locked.status_code == 429
    fine = Client(REMOTE_ADDR="10.0.0.8").post(
        "/admin/login/", {"username": "editor", "password": "a long passphrase"}
    )
    assert fine.status_code == 302


@pytest.mark.parametrize(
    ("later", "signed_in"),
    [
        (timedelta(minutes=59), True),
        (timedelta(minutes=61), False),  # idle for over an hour
    ],
)
def test_a_staff_session_ends_after_an_hour_idle(client, editor, later, signed_in):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    with time_machine.travel(timezone.now() + later):
        assert (client.get("/admin/").status_code == 200) is signed_in


def test_a_staff_session_ends_twelve_hours_after_sign_in_however_busy(client, editor):
    start = timezone.now()
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    for minutes in range(50, 12 * 60, 50):  # a request every 50 minutes
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert client.get("/admin/").status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=1)):
        response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_django_admin_is_not_there(client, editor):
    client.force_login(editor)
    assert client.get("/django-admin/").status_code == 404


def test_admin_pages_carry_a_content_security_policy(client, editor):
    client.force_login(editor)
    policy = client.get("/admin/")["Content-Security-Policy"]
    assert "default-src 'self';" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy and "form-action 'self'" in policy
    assert "unsafe-eval" not in policy and "http" not in policy  # no other origin
    login = Client().get("/admin/login/")["Content-Security-Policy"]
    assert login == policy


@override_settings(SECURE_HSTS_SECONDS=31_536_000)
def test_https_responses_carry_hsts(client, db):
    response = client.get("/healthz", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"
