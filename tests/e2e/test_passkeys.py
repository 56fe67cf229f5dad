"""A staff member enrols a passkey as their second factor, then signs in with it: Chromium's
virtual authenticator (the DevTools protocol's WebAuthn domain) plays the security key."""

import pytest

from tests.e2e.conftest import demo_server

pytestmark = pytest.mark.e2e

NEW_STAFF = """
from django.contrib.auth import get_user_model
get_user_model().objects.create_superuser("reporter", "r@example.org", "a long passphrase")
"""


@pytest.fixture(scope="module")
def localhost_server():
    with demo_server(None, ("shell", "-c", NEW_STAFF), name="localhost") as base_url:
        yield base_url


def sign_in_with_password(page):
    page.goto("/admin/login/")
    page.fill("input[name=username]", "reporter")
    page.fill("input[name=password]", "a long passphrase")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/2fa/**")


def test_staff_enrol_a_passkey_and_sign_in_with_it(browser, localhost_server):
    context = browser.new_context(base_url=localhost_server)
    page = context.new_page()
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    try:
        sign_in_with_password(page)
        assert "/admin/2fa/setup/" in page.url
        page.click("#passkey-register-button")
        page.wait_for_selector("[data-recovery-codes]")
        assert page.locator("[data-recovery-codes] li").count() == 10
        assert page.goto("/admin/pages/").status == 200
        assert "/admin/2fa/" not in page.url

        context.clear_cookies()  # a new sign-in, same authenticator
        sign_in_with_password(page)
        assert "/admin/2fa/verify/" in page.url
        page.click("#passkey-verification-button")
        page.wait_for_url(lambda url: "/admin/2fa/" not in url)
        assert page.goto("/admin/pages/").status == 200
        assert "/admin/2fa/" not in page.url
    finally:
        context.close()
