from tests.payments.conftest import fake_stripe  # noqa: F401
