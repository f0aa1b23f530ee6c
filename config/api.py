"""One NinjaAPI for the platform, mounted under /api/v1/; each app contributes a router."""

from ninja import NinjaAPI

from contrat_ville.accounts.api_auth import BearerTokenOrSession
from contrat_ville.contracts.api import router as contracts_router
from contrat_ville.diagnostic.api import router as diagnostic_router
from contrat_ville.governance.api import router as governance_router
from contrat_ville.observation.api import router as observation_router
from contrat_ville.participation.api import router as participation_router
from contrat_ville.strategy.api import router as strategy_router
from contrat_ville.territories.api import router as territories_router

api = NinjaAPI(
    title="API de la plateforme des contrats de ville",
    version="1",
    description=(
        "API publique et partenaire des contrats de ville. Authentification : `Authorization: Bearer <jeton>` "
        "(jeton créé par `manage.py create_api_token EMAIL`). Sans jeton, seules les données publiées sont "
        "accessibles."
    ),
    auth=BearerTokenOrSession(),
    urls_namespace="api-1",
)
api.add_router("/territories", territories_router)
api.add_router("/contracts", contracts_router)
api.add_router("/contracts", governance_router)
api.add_router("/contracts", participation_router)
api.add_router("/contracts", diagnostic_router)
api.add_router("/contracts", strategy_router)
# /indicators, /indicator-values and /territories/{kind}/{code}/portrait
api.add_router("/", observation_router)
