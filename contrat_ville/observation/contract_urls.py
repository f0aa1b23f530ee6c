"""Contract-scoped observation pages, mounted under /contrats/<contract_slug>/observation/."""

app_name = "observation_contract"

urlpatterns: list = []
