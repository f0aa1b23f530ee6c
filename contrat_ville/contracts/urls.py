from django.urls import path

from contrat_ville.contracts.views import amendments, home, lifecycle, members, organizations, signature, structure

app_name = "contracts"

CONTRACT = "<slug:contract_slug>"
INVITATION = f"{CONTRACT}/membres/invitations/<int:invitation_id>"
TERM = f"{CONTRACT}/structure/<slug:kind_slug>/<int:term_id>"
ORGANIZATION = f"{CONTRACT}/organisations/<int:organization_id>"

urlpatterns = [
    path("", home.contract_list, name="contract_list"),
    path("nouveau/", lifecycle.contract_open, name="contract_open"),
    path(f"{CONTRACT}/", home.contract_home, name="contract_home"),
    path(f"{CONTRACT}/territoire-et-signataires/", home.contract_territory, name="contract_territory"),
    path("invitation/<str:token>/", members.invitation_accept, name="invitation_accept"),
    path(f"{CONTRACT}/membres/", members.contract_members, name="contract_members"),
    path(f"{CONTRACT}/membres/inviter/", members.invitation_create, name="invitation_create"),
    path(f"{CONTRACT}/membres/<int:user_id>/role/", members.member_role, name="member_role"),
    path(f"{CONTRACT}/membres/<int:user_id>/retirer/", members.member_remove, name="member_remove"),
    path(f"{INVITATION}/renvoyer/", members.invitation_resend, name="invitation_resend"),
    path(f"{INVITATION}/revoquer/", members.invitation_revoke, name="invitation_revoke"),
    path(f"{CONTRACT}/organisations/", organizations.organization_list, name="organization_list"),
    path(f"{CONTRACT}/organisations/nouvelle/", organizations.organization_create, name="organization_create"),
    path(f"{ORGANIZATION}/modifier/", organizations.organization_update, name="organization_update"),
    path(f"{ORGANIZATION}/supprimer/", organizations.organization_delete, name="organization_delete"),
    path(f"{CONTRACT}/parametres/", lifecycle.contract_settings, name="contract_settings"),
    path(f"{CONTRACT}/parametres/etat/", lifecycle.contract_status, name="contract_status"),
    path(f"{CONTRACT}/parametres/publication/", lifecycle.contract_publication, name="contract_publication"),
    path(f"{CONTRACT}/territoires/", lifecycle.contract_territories, name="contract_territories"),
    path(f"{CONTRACT}/territoires/perimetres/ajouter/", lifecycle.area_create, name="area_create"),
    path(f"{CONTRACT}/territoires/perimetres/<int:area_id>/supprimer/", lifecycle.area_delete, name="area_delete"),
    path(f"{CONTRACT}/signature/", signature.contract_signature, name="contract_signature"),
    path(f"{CONTRACT}/signature/ajouter/", signature.signatory_add, name="signatory_add"),
    path(f"{CONTRACT}/signature/<int:signatory_id>/retirer/", signature.signatory_remove, name="signatory_remove"),
    path(f"{CONTRACT}/avenants/", amendments.amendment_list, name="amendment_list"),
    path(f"{CONTRACT}/avenants/nouveau/", amendments.amendment_create, name="amendment_create"),
    path(f"{CONTRACT}/avenants/<int:amendment_id>/", amendments.amendment_detail, name="amendment_detail"),
    path(f"{CONTRACT}/structure/", structure.contract_structure, name="contract_structure"),
    path(f"{CONTRACT}/structure/a-une-date/", amendments.structure_as_of, name="structure_as_of"),
    path(f"{CONTRACT}/structure/<slug:kind_slug>/ajouter/", structure.term_create, name="term_create"),
    path(f"{TERM}/modifier/", structure.term_update, name="term_update"),
    path(f"{TERM}/retirer/", structure.term_archive, name="term_archive"),
    path(f"{TERM}/supprimer/", structure.term_delete, name="term_delete"),
    path(f"{TERM}/<direction>/", structure.term_move, name="term_move"),
]
