"""The signatories of a contract and its signature (loi 2014-173 art. 6 I; rules R01-R03)."""

from __future__ import annotations

from django.http import HttpResponse

from contrat_ville.contracts import selectors, services
from contrat_ville.contracts.access import ContractRequest, contract_view
from contrat_ville.contracts.forms import SignatoryForm, SignatureForm
from contrat_ville.contracts.permissions import can_edit_contract
from contrat_ville.contracts.views.common import Section, contract_crumbs, pages

SIGNATURE = Section("Signature", "contract_signature")


@contract_view(private=True, permission=can_edit_contract)
def contract_signature(request: ContractRequest) -> HttpResponse:
    """Who signs, who is missing (warnings, never blocks), and the signature itself: its date and, for each
    signatory, who signed."""
    contract = request.contract
    signatories = selectors.contract_signatories(contract=contract)
    read_only = (
        f"Le contrat a été signé le {contract.signed_on:%d/%m/%Y}. Ses signataires changent désormais par un avenant."
        if contract.is_signed and contract.signed_on
        else ""
    )
    return pages.form_page(
        request,
        SignatureForm(request.POST or None, signatories=signatories),
        save=lambda data: services.contract_sign(contract=contract, by=request.access.user, **data),
        done=lambda saved: ("Signature du contrat enregistrée : le contrat est signé.", SIGNATURE.url(saved)),
        title="Signataires et signature",
        parents=contract_crumbs(contract),
        # Once signed, the form gives way to a message: the signatories then follow it.
        **(
            {"after_template": "contracts/_signatories.html"}
            if read_only
            else {"side_template": "contracts/_signatories.html"}
        ),
        signatories=signatories,
        signature_warnings=selectors.signature_warnings(contract=contract),
        read_only_message=read_only,
        form_heading="Enregistrer la signature",
        submit_label="Enregistrer la signature",
        form_testid="signature-form",
    )


@contract_view(private=True, permission=can_edit_contract)
def signatory_add(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    return pages.form_page(
        request,
        SignatoryForm(request.POST or None),
        save=lambda data: services.signatory_add(contract=contract, **data),
        done=lambda signatory: (f"{signatory.organization} ajouté aux signataires.", SIGNATURE.url(contract)),
        title="Ajouter un signataire",
        parents=SIGNATURE.crumbs(contract),
        intro="L'État, l'intercommunalité et les communes concernées signent tout contrat de ville ; le département, "
        "la région et les autres partenaires le signent quand ils s'y engagent.",
        submit_label="Ajouter",
        cancel_url=SIGNATURE.url(contract),
        form_testid="signatory-form",
    )


@contract_view(private=True, permission=can_edit_contract)
def signatory_remove(request: ContractRequest, signatory_id: int) -> HttpResponse:
    contract = request.contract
    signatory = selectors.signatory_get(contract=contract, signatory_id=signatory_id)
    return pages.confirm_page(
        request,
        act=lambda: services.signatory_remove(signatory=signatory, by=request.access.user),
        message=f"{signatory.organization} retiré des signataires.",
        success_url=SIGNATURE.url(contract),
        explanation=f"{signatory.organization} ne figurera plus parmi les signataires du contrat.",
        title=f"Retirer {signatory.organization} des signataires",
        parents=SIGNATURE.crumbs(contract),
        submit_label="Retirer",
        cancel_url=SIGNATURE.url(contract),
    )
