"""Pages of the observation app."""

app_name = "observation"

urlpatterns: list = []
