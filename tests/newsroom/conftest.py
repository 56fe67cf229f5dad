from tests.funding.conftest import frozen, giving, monthly_cost  # noqa: F401
