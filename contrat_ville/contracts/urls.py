from django.urls import path

from contrat_ville.contracts.views import amendments, home, lifecycle, members, signature, structure

app_name = "contracts"

TERM = "<slug:contract_slug>/structure/<slug:kind_slug>/<int:term_id>"

urlpatterns = [
    path("", home.contract_list, name="contract_list"),
    path("nouveau/", lifecycle.contract_open, name="contract_open"),
    path("<slug:contract_slug>/", home.contract_home, name="contract_home"),
    path("invitation/<str:token>/", members.invitation_accept, name="invitation_accept"),
    path("<slug:contract_slug>/membres/", members.contract_members, name="contract_members"),
    path("<slug:contract_slug>/membres/inviter/", members.invitation_create, name="invitation_create"),
    path("<slug:contract_slug>/membres/<int:user_id>/role/", members.member_role, name="member_role"),
    path("<slug:contract_slug>/membres/<int:user_id>/retirer/", members.member_remove, name="member_remove"),
    path(
        "<slug:contract_slug>/membres/invitations/<int:invitation_id>/renvoyer/",
        members.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "<slug:contract_slug>/membres/invitations/<int:invitation_id>/revoquer/",
        members.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<slug:contract_slug>/parametres/", lifecycle.contract_settings, name="contract_settings"),
    path("<slug:contract_slug>/parametres/etat/", lifecycle.contract_status, name="contract_status"),
    path("<slug:contract_slug>/parametres/publication/", lifecycle.contract_publication, name="contract_publication"),
    path("<slug:contract_slug>/territoires/", lifecycle.contract_territories, name="contract_territories"),
    path("<slug:contract_slug>/signature/", signature.contract_signature, name="contract_signature"),
    path("<slug:contract_slug>/signature/ajouter/", signature.signatory_add, name="signatory_add"),
    path(
        "<slug:contract_slug>/signature/<int:signatory_id>/retirer/",
        signature.signatory_remove,
        name="signatory_remove",
    ),
    path("<slug:contract_slug>/avenants/", amendments.amendment_list, name="amendment_list"),
    path("<slug:contract_slug>/avenants/nouveau/", amendments.amendment_create, name="amendment_create"),
    path("<slug:contract_slug>/avenants/<int:amendment_id>/", amendments.amendment_detail, name="amendment_detail"),
    path("<slug:contract_slug>/structure/", structure.contract_structure, name="contract_structure"),
    path("<slug:contract_slug>/structure/a-une-date/", amendments.structure_as_of, name="structure_as_of"),
    path("<slug:contract_slug>/structure/<slug:kind_slug>/ajouter/", structure.term_create, name="term_create"),
    path(f"{TERM}/modifier/", structure.term_update, name="term_update"),
    path(f"{TERM}/retirer/", structure.term_archive, name="term_archive"),
    path(f"{TERM}/supprimer/", structure.term_delete, name="term_delete"),
    path(f"{TERM}/<direction>/", structure.term_move, name="term_move"),
]
