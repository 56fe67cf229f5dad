"""The signed token in a renewal's authentication link (3-D Secure and the like): it names
one payment, and works for a week. The page it opens asks the provider for what the
browser needs to let the donor approve the payment."""

from datetime import timedelta

from django.core import signing

from contributions.models import Payment

AUTHENTICATE_SALT = "readerfund.authenticate"
AUTHENTICATE_MAX_AGE = timedelta(days=7)


def authentication_token(payment: Payment) -> str:
    """A signed token naming the payment, for the link in the authentication request."""
    return signing.dumps({"payment": payment.pk}, salt=AUTHENTICATE_SALT)


def payment_from_token(token: str, max_age: timedelta = AUTHENTICATE_MAX_AGE) -> Payment | None:
    """The payment a token names; None if the token was changed, has expired, or the
    payment is gone."""
    try:
        data = signing.loads(token, salt=AUTHENTICATE_SALT, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    if not isinstance(data, dict) or not isinstance(data.get("payment"), int):
        return None
    return (
        Payment.objects.select_related("contribution__contributor")
        .filter(pk=data["payment"])
        .first()
    )
