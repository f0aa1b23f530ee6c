import pytest


@pytest.fixture(autouse=True)
def _reset_axes_cache(settings):
    """Each test starts with no login failures counted (django-axes keeps them in the database)."""
    settings.AXES_ENABLED = True
    yield
