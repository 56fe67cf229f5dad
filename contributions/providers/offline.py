"""Bank transfers, cheques and cash, entered by staff in the admin.

Nothing is charged through a provider: staff record money that has already arrived (the
ledger's source is "staff"), and refund it by bank themselves. Everything else in the
contract raises Unsupported.
"""

from django.utils.translation import gettext_lazy as _

from contributions.providers.base import BasePaymentProvider, Unsupported


class OfflineProvider(BasePaymentProvider):
    name = "offline"
    verbose_name = _("Bank transfer or cheque (entered by staff)")
    at_checkout = False

    def is_configured(self) -> bool:
        return True

    def begin(self, contribution):
        raise Unsupported("offline contributions are entered by staff")

    def saved_payment_method(self, contribution, reference):
        raise Unsupported("offline contributions have no payment method")

    def charge(self, payment, *, off_session, idempotency_key):
        raise Unsupported("offline contributions are not charged")

    def find_charge(self, payment):
        return None

    def refund(self, payment, amount=None, *, idempotency_key=None):
        raise Unsupported("refund the donor by bank, then record it in the admin")

    def find_refund(self, payment, idempotency_key):
        raise Unsupported("staff record offline refunds as they make them")

    # No webhooks, no authentication, nothing to fetch: the contract's defaults say so.
