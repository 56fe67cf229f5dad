"""Crypto through a self-hosted BTCPay Server, over its Greenfield REST API (provider.py).

BTCPay is non-custodial and runs on the newsroom's own server: no third party learns who
gave. The reader pays on BTCPay's own checkout page, opened as a link; no BTCPay script runs
on Readerfund's pages. standin.py is a small Greenfield server for the tests and the demo.
"""

from contributions.providers.btcpay.provider import BTCPayProvider

__all__ = ["BTCPayProvider"]
