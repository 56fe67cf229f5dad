"""Bank transfers with a reference code per contribution, matched from bank statements.

The reader sees the newsroom's bank details and the contribution's own reference code (for
Monthly and Annual: set up a standing order quoting it). Staff import the bank's statement
(CSV with configurable columns, or CAMT.053 XML); each credit line quoting a code becomes
one stored event, its id the line's own, so importing the same statement again changes
nothing (provider.py, statements.py).
"""

from contributions.providers.bank.provider import BankTransferProvider

__all__ = ["BankTransferProvider"]
