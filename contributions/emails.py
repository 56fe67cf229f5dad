"""Emails to donors: receipts, lapsed notices, authentication requests."""


def send_receipt(payment) -> None:
    raise NotImplementedError


def send_lapsed_notice(contribution) -> None:
    raise NotImplementedError


def send_authentication_request(payment) -> None:
    raise NotImplementedError
