"""Staff sessions in tests: past the second factor, or not."""

from django.contrib.auth import SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice


def pass_second_factor(client, user) -> None:
    """Mark the client's session as verified with a device of `user`'s, as
    django_otp.login does after a right code."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="tests", confirmed=True)
    session = client.session
    assert session.get(SESSION_KEY) == str(user.pk)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def password_only_login(client, user) -> None:
    """A session signed in with the password alone: no second factor yet (Client._login is
    what force_login does, before tests/conftest.py adds the second factor)."""
    client._login(user, "django.contrib.auth.backends.ModelBackend")
