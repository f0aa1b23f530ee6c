from ninja import Router

from contrat_ville.core.api_endpoints import Endpoints


def test_url_names_take_the_app_prefix_once():
    endpoints = Endpoints(Router(), "contract")
    assert endpoints.url_name("amendment_list") == "contract_amendment_list"
    assert endpoints.url_name("contract_detail") == "contract_detail"


def test_a_named_operation_gets_its_url_name_and_operation_id_from_the_name():
    router = Router()
    endpoints = Endpoints(router, "essai")

    @endpoints.removes("DELETE", "/{thing_id}", summary="Supprimer", name="thing_delete", description="Une  raison.")
    def remove(request: object, thing_id: int) -> None:
        return None

    (operation,) = router.path_operations["/{thing_id}"].operations
    assert (operation.url_name, operation.operation_id) == ("essai_thing_delete", "essai_thing_delete")
    assert (operation.description, list(operation.response_models)) == ("Une raison.", [204, 400, 401, 403, 404, 422])
