"""« Télécharger ce tableau » in a browser without JavaScript: the links are on the page and give the file.

(The links' accessibility is checked by axe-core on every page with tables of the other e2e tests.)
"""

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.conftest import Foundation
from tests.e2e.helpers import goto

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser_context_args() -> dict[str, Any]:
    return {
        "locale": "fr-FR",
        "viewport": {"width": 1280, "height": 900},
        "java_script_enabled": False,
        "accept_downloads": True,
    }


def test_without_javascript_a_table_downloads_as_xlsx(foundation: Foundation, page: Page) -> None:
    goto(page, reverse("accounts:login"))
    page.get_by_label("Adresse électronique").fill(foundation.pilot_email)
    page.get_by_label("Mot de passe").fill(foundation.pilot_password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(reverse("contracts:contract_list"))

    goto(page, reverse("contracts:contract_members", args=[foundation.private_slug]))
    footer = page.get_by_test_id("members-table").get_by_test_id("table-export")
    expect(footer).to_be_visible()
    expect(footer).to_contain_text("Télécharger ce tableau :")
    link = footer.get_by_role("link", name="XLSX : tableau « Membres du contrat et leur rôle »")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith("membres-du-contrat-et-leur-role.xlsx")
    path = download.path()
    assert path is not None
    sheet = load_workbook(io.BytesIO(path.read_bytes())).active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]] == ["Nom", "Organisation", "Rôle"]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any(str(name).startswith(foundation.pilot_name) for name in names)
