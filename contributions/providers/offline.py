"""Bank transfers, cheques and cash, entered by staff in the admin.

Nothing is charged through a provider: staff record money that has already arrived, and the
ledger entry is made from their action (source "staff").
"""

from django.utils.translation import gettext_lazy as _

from contributions.providers.base import BasePaymentProvider, ProviderError


class OfflineProvider(BasePaymentProvider):
    name = "offline"
    verbose_name = _("Bank transfer or cheque (entered by staff)")
    public = False

    def is_configured(self) -> bool:
        return True

    def begin(self, contribution):
        raise ProviderError("offline contributions are entered by staff", code="offline")

    def saved_payment_method(self, contribution, reference):
        raise ProviderError("offline contributions have no payment method", code="offline")

    def charge(self, payment, *, off_session, idempotency_key):
        raise ProviderError("offline contributions are not charged", code="offline")

    def find_charge(self, payment):
        return None

    def refund(self, payment, amount=None, *, idempotency_key=None):
        raise ProviderError("refund the donor by bank, then record it in the admin", code="offline")

    def parse_webhook(self, body, headers):
        raise ProviderError("offline payments have no webhooks", code="offline")

    def fetch(self, reference):
        return []
