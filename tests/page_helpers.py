"""What tests read in rendered pages, and what rendering them may cost."""

# Queries per render in the steady state: after one render, with the page cache out of the
# way (the test client enters Django directly). A plain Wagtail page costs 7 queries; the
# issue allows an article 10. These are what the pages take today (the article one more, for
# read_more's second query when few articles share its tags): raise one only knowingly.
CEILINGS = {"article": 6, "home": 4, "section": 4, "site feed": 3, "section feed": 5}


def assert_no_appeals(page: str) -> None:
    """A reader who is giving or managing is not asked to give: no appeal, no appeals.js."""
    assert "data-appeal-kind" not in page and "appeals/appeals.js" not in page
