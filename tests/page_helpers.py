"""What tests read in rendered pages."""


def assert_no_appeals(page: str) -> None:
    """A reader who is giving or managing is not asked to give: no appeal, no appeals.js."""
    assert "data-appeal-kind" not in page and "appeals/appeals.js" not in page
