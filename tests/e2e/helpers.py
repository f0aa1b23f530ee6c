"""Helpers of the browser tests: navigate, sign in, and collect what went wrong while a page loaded."""

from dataclasses import dataclass, field

from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Error, Page, Request, Response, expect

from tests.e2e.axe import assert_accessible


@dataclass
class PageProblems:
    """Everything that went wrong in a page, apart from the status of the page itself (``goto`` checks it)."""

    failed_responses: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return [*self.failed_responses, *self.failed_requests, *self.console_errors, *self.page_errors]

    def clear(self) -> None:
        for problems in (self.failed_responses, self.failed_requests, self.console_errors, self.page_errors):
            problems.clear()

    def assert_none(self, where: str) -> None:
        problems = self.all()
        assert not problems, f"Problèmes au chargement de {where} / page load problems:\n" + "\n".join(
            f"  - {problem}" for problem in problems
        )


def _is_page_document(request: Request, page: Page) -> bool:
    return request.is_navigation_request() and request.frame == page.main_frame


def watch(page: Page) -> PageProblems:
    """Start collecting the problems of ``page``: sub-resources answering 4xx/5xx (a missing DSFR file,
    Leaflet, a GeoJSON endpoint), requests that fail (blocked, offline), console errors (including
    Content Security Policy refusals) and uncaught exceptions."""
    problems = PageProblems()

    def on_response(response: Response) -> None:
        if response.status >= 400 and not _is_page_document(response.request, page):
            problems.failed_responses.append(f"HTTP {response.status} {response.request.method} {response.url}")

    def on_request_failed(request: Request) -> None:
        if not _is_page_document(request, page):
            problems.failed_requests.append(f"échec / failed {request.method} {request.url}: {request.failure}")

    def on_console(message: ConsoleMessage) -> None:
        # "Failed to load resource" repeats a failed response, which on_response reports with its URL.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.console_errors.append(f"console: {message.text}")

    def on_page_error(error: Error) -> None:
        problems.page_errors.append(f"exception JS: {error.message}")

    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return problems


def goto(page: Page, path: str, *, status: int = 200) -> Response:
    """Open ``path`` (relative to the live server) and check the status of the page itself."""
    response = page.goto(path, wait_until="load")
    assert response is not None, f"Aucune réponse pour {path}"
    assert response.status == status, f"{path} : statut {response.status}, attendu {status}"
    return response


def check(page: Page, problems: PageProblems, where: str) -> None:
    """The page loaded without problems and passes axe-core (WCAG 2.1 A/AA)."""
    problems.assert_none(where)
    assert_accessible(page, where)


def sign_in(page: Page, email: str, password: str) -> None:
    """Log in through the login form (as someone else if a session is open) and land on the contract list."""
    page.context.clear_cookies()
    goto(page, reverse("accounts:login"))
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(reverse("contracts:contract_list"))
