"""A staff member's story: the password alone opens no admin page; with the code of their
authenticator app the admin opens, under its Content-Security-Policy, without a violation."""

import pytest

pytestmark = pytest.mark.e2e

ADMIN_PAGES = ["/admin/", "/admin/pages/", "/admin/users/", "/admin/giving/contributions/"]


def test_an_admin_login_without_the_second_factor_reaches_no_admin_page(page, demo_editor_password):
    password = demo_editor_password
    page.goto("/admin/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/2fa/verify/**")

    for path in ADMIN_PAGES:
        page.goto(path)
        assert "/admin/2fa/verify/" in page.url, path
        # One form: the icons' request, once redirected here too, put a second copy inside.
        page.wait_for_load_state("networkidle")
        assert page.locator("input[name=code]").count() == 1
        assert page.locator("nav[aria-label]").count() == 0  # no admin menu, nothing of it
    assert page.goto("/django-admin/").status == 404

    page.goto("/admin/2fa/verify/")
    page.fill("input[name=code]", "000000")
    page.click("button[type=submit]")
    error = page.get_by_role("alert")
    assert "This code is not right" in error.inner_text()  # visible: inner_text skips hidden
    assert "/admin/2fa/verify/" in page.url


def test_with_the_second_factor_the_admin_opens_without_a_policy_violation(page, sign_in_to_admin):
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)  # fmt: skip
    sign_in_to_admin(page)
    for path in ADMIN_PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        assert "/admin/2fa/" not in page.url
    page.goto("/admin/pages/")
    page.wait_for_load_state("networkidle")
    assert violations == []
