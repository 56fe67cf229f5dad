"""What readers are asked: the support modal, the header message, the end-of-article letter
and the gap ticker.

Pages are the same for every reader: the header message and the modal are hidden markup in
every page, and the letter is rendered once, with its first active variant, for everyone
(without JavaScript: its text and a link to /support/). static/appeals/appeals.js decides in
the reader's browser, from the public /appeals/config.json and localStorage, what to reveal.

Countries: a country-dependent config could not be cached for everyone, so the config only
lists each appeal's countries. When READERFUND_COUNTRY_HEADER names a header a trusted CDN
sets (CF-IPCountry), the script asks the uncached /appeals/country, and only when an active
appeal targets countries; without it, country targeting is ignored.
"""
