"""Pages of the strategy app."""

app_name = "strategy"

urlpatterns: list = []
