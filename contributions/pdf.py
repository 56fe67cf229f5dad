"""HTML to PDF with WeasyPrint, for the donor's yearly statement.

WeasyPrint draws with Debian's Pango (`make pdf` installs it). It is handed the statement's
HTML and nothing else: no base URL and a fetcher that refuses every URL, so a PDF is never a
way to make the server fetch something, and it carries the fonts installed here only.
"""

import logging

# WeasyPrint logs each step of each PDF at INFO: noise in the web log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError("the statement's PDF fetches nothing")


def html_to_pdf(html: str) -> bytes:
    import weasyprint  # imported here: loading Pango costs a web process ~50 ms at start

    return weasyprint.HTML(string=html, url_fetcher=_no_fetching).write_pdf()
