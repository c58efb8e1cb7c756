import pytest

from .fake_openai import FakeChatModel


@pytest.fixture
def model(settings):
    """A language model on loopback speaking OpenAI's protocol, configured as Ask's model."""
    with FakeChatModel() as fake:
        settings.GACETA_ASK_LLM_BASE_URL = fake.url
        settings.GACETA_ASK_LLM_MODEL = fake.model
        settings.GACETA_ASK_LLM_API_KEY = fake.api_key
        settings.GACETA_ASK_LLM_TIMEOUT = 5
        yield fake
