"""The cards Stripe takes for us, as donors know them: brand names for a saved card, and the
badges the form shows."""

from contributions.providers.base import Mark

# Stripe's brand codes, as donors know the cards.
CARD_BRANDS = {
    "amex": "American Express",
    "diners": "Diners Club",
    "discover": "Discover",
    "jcb": "JCB",
    "mastercard": "Mastercard",
    "unionpay": "UnionPay",
    "visa": "Visa",
}

# The cards we take, drawn as badges: text in inline SVG, nothing fetched. Brand names are
# not translated.
MARKS = [
    Mark(
        "Visa",
        '<svg class="mark" viewBox="0 0 56 32" width="56" height="32" role="img" aria-lab'
        'el="Visa"><rect x="0.5" y="0.5" width="55" height="31" rx="4" fill="#fff" stroke'
        '="#d0cdc5"/><text x="28" y="21.5" text-anchor="middle" font-family="Arial, Helve'
        'tica, sans-serif" font-size="14" font-weight="700" font-style="italic" fill="#1a'
        '1f71" letter-spacing="0.5">VISA</text></svg>',
    ),
    Mark(
        "Mastercard",
        '<svg class="mark" viewBox="0 0 56 32" width="56" height="32" role="img" aria-lab'
        'el="Mastercard"><rect x="0.5" y="0.5" width="55" height="31" rx="4" fill="#fff" '
        'stroke="#d0cdc5"/><circle cx="23" cy="16" r="9" fill="#eb001b"/><circle cx="33" '
        'cy="16" r="9" fill="#f79e1b" fill-opacity="0.9"/></svg>',
    ),
    Mark(
        "American Express",
        '<svg class="mark" viewBox="0 0 56 32" width="56" height="32" role="img" aria-lab'
        'el="American Express"><rect x="0.5" y="0.5" width="55" height="31" rx="4" fill="'
        '#2e77bc"/><text x="28" y="20.5" text-anchor="middle" font-family="Arial, Helveti'
        'ca, sans-serif" font-size="11" font-weight="700" fill="#fff" letter-spacing="0.5'
        '">AMEX</text></svg>',
    ),
]
