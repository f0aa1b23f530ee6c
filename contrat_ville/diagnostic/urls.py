"""Pages of the diagnostic app."""

app_name = "diagnostic"

urlpatterns: list = []
