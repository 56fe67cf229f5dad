"""A third payment provider that lives in the test suite only: it takes any card and keeps
its charges in memory. Registering it (the `fake_provider` fixture) is all it takes for
readers to give through it: checkout, charging, the ledger and receipts know no provider."""

from contributions.providers.base import BasePaymentProvider, ChargeResult, Session


class FakeProvider(BasePaymentProvider):
    name = "fake"
    verbose_name = "Fake"
    charges: dict[int, ChargeResult] = {}  # payment id → its charge, like a provider's books

    def is_configured(self) -> bool:
        return True

    def begin(self, contribution) -> Session:
        reference = f"fake-setup-{contribution.pk}"
        return Session(action="save_card", client_secret=None, publishable_key=None,
                       reference=reference)  # fmt: skip

    def saved_payment_method(self, contribution, reference: str) -> str:
        return f"fake-card-for-{reference}"

    def charge(self, payment, *, off_session: bool, idempotency_key: str) -> ChargeResult:
        found = self.charges.setdefault(
            payment.pk,
            ChargeResult(status="succeeded", reference=f"fake-{idempotency_key}",
                         amount=payment.money),
        )  # fmt: skip
        return found

    def find_charge(self, payment) -> ChargeResult | None:
        return self.charges.get(payment.pk)
