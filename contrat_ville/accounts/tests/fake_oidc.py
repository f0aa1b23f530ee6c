"""A fake ProConnect for the tests: an OpenID Connect provider on the loopback, in a thread of the test process.

It serves what the platform calls, as ProConnect does: ``/authorize`` (sends the browser straight back with a code
and the state, for the identity the test set, or with ``error=`` when the test says so), ``/token`` (checks the
client, the code and the redirect URI, answers an id_token signed in RS256 with the nonce), ``/jwks`` (the public
key), ``/userinfo`` (the claims, as a signed JWT like ProConnect's) and ``/session/end``. The RSA key is made when
the provider starts: nothing is read from disk or the network.
"""

import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django.urls import reverse
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "plateforme-contrats-de-ville"
CLIENT_SECRET = "secret-de-test"


@dataclass
class Identity:
    """What ProConnect says of the person who signs in."""

    email: str = "agent.etat@interieur.gouv.fr"
    given_name: str = "Dominique"
    usual_name: str = "Préfète"
    sub: str = field(default_factory=lambda: secrets.token_hex(16))
    siret: str = "11000000000000"
    extra: dict[str, Any] = field(default_factory=dict)
    # How the person authenticated: the id_token's ``amr``, given only to a platform that asked for it (``claims``).
    amr: list[str] = field(default_factory=lambda: ["pwd"])

    def claims(self) -> dict[str, Any]:
        claims = {
            "sub": self.sub,
            "email": self.email,
            "given_name": self.given_name,
            "usual_name": self.usual_name,
            "siret": self.siret,
        }
        claims.update(self.extra)
        return {name: value for name, value in claims.items() if value is not None}


@dataclass
class Grant:
    identity: Identity
    redirect_uri: str
    nonce: str
    claims: dict[str, Any] = field(default_factory=dict)


class FakeProvider:
    """Start with ``FakeProvider()``; ``settings()`` gives the OIDC_* settings pointing at it; ``stop()`` at the end.

    ``identity`` is who signs in next, and how (its ``amr``); ``authorize_error`` makes ``/authorize`` answer that
    OAuth error; ``token_status`` makes ``/token`` answer that HTTP status; ``audience`` is the id_token's;
    ``signing_key`` signs the tokens (the published ``key`` unless a test forges); ``requests`` lists the paths
    called."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.signing_key = self.key
        self.kid = "cle-de-test"
        self.audience = CLIENT_ID
        self.identity = Identity()
        self.authorize_error = ""
        self.token_status = 200
        self.requests: list[str] = []
        self.grants: dict[str, Grant] = {}
        self.access_tokens: dict[str, Identity] = {}
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                provider.handle(self, "GET")

            def do_POST(self) -> None:
                provider.handle(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/api/v2"

    def settings(self) -> dict[str, str]:
        return {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
            "OIDC_OP_LOGOUT_ENDPOINT": f"{self.url}/session/end",
        }

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    # --- what it answers ---------------------------------------------------------------------------------

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.signing_key, algorithm="RS256", headers={"kid": self.kid})

    def handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(request.path)
        path = parts.path.removeprefix("/api/v2")
        self.requests.append(path)
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        if method == "POST":
            length = int(request.headers.get("Content-Length") or 0)
            query.update({name: values[0] for name, values in parse_qs(request.rfile.read(length).decode()).items()})
        routes = {
            ("GET", "/authorize"): self.authorize,
            ("POST", "/token"): self.token,
            ("GET", "/jwks"): self.jwks,
            ("GET", "/userinfo"): self.userinfo,
            ("GET", "/session/end"): self.end_session,
        }
        route = routes.get((method, path))
        if route is None:
            self.reply(request, 404, {"error": "not_found"})
            return
        route(request, query)

    def reply(
        self,
        request: BaseHTTPRequestHandler,
        status: int,
        body: dict[str, Any] | str = "",
        headers: dict[str, str] | None = None,
    ) -> None:
        content = json.dumps(body).encode() if isinstance(body, dict) else body.encode()
        request.send_response(status)
        content_type = "application/json" if isinstance(body, dict) else "application/jwt"
        for name, value in {"Content-Type": content_type, **(headers or {})}.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(content)))
        request.end_headers()
        request.wfile.write(content)

    def redirect(self, request: BaseHTTPRequestHandler, url: str, params: dict[str, str]) -> None:
        separator = "&" if "?" in url else "?"
        self.reply(request, 302, {}, {"Location": f"{url}{separator}{urlencode(params)}"})

    def authorize(self, request: BaseHTTPRequestHandler, query: dict[str, str]) -> None:
        redirect_uri, state = query.get("redirect_uri", ""), query.get("state", "")
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code" or not redirect_uri:
            self.reply(request, 400, {"error": "invalid_request"})
            return
        if "openid" not in query.get("scope", "").split():
            self.reply(request, 400, {"error": "invalid_scope"})
            return
        if self.authorize_error:
            self.redirect(request, redirect_uri, {"error": self.authorize_error, "state": state})
            return
        code = secrets.token_urlsafe(16)
        try:
            claims = json.loads(query.get("claims") or "{}")
        except ValueError:
            self.reply(request, 400, {"error": "invalid_request", "error_description": "claims"})
            return
        self.grants[code] = Grant(
            identity=self.identity, redirect_uri=redirect_uri, nonce=query.get("nonce", ""), claims=claims
        )
        self.redirect(request, redirect_uri, {"code": code, "state": state})

    def token(self, request: BaseHTTPRequestHandler, form: dict[str, str]) -> None:
        if self.token_status != 200:
            self.reply(request, self.token_status, {"error": "server_error"})
            return
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            self.reply(request, 401, {"error": "invalid_client"})
            return
        grant = self.grants.pop(form.get("code", ""), None)
        if form.get("grant_type") != "authorization_code" or grant is None:
            self.reply(request, 400, {"error": "invalid_grant"})
            return
        if form.get("redirect_uri") != grant.redirect_uri:
            self.reply(request, 400, {"error": "invalid_grant", "error_description": "redirect_uri"})
            return
        now = int(time.time())
        asked = grant.claims.get("id_token") or {}
        id_token = self.sign(
            {
                "iss": self.url,
                "sub": grant.identity.sub,
                "aud": self.audience,
                "iat": now,
                "exp": now + 60,
                "nonce": grant.nonce,
                "acr": "eidas1",
                **({"amr": grant.identity.amr} if "amr" in asked else {}),
            }
        )
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = grant.identity
        self.reply(
            request,
            200,
            {"access_token": access_token, "token_type": "Bearer", "expires_in": 60, "id_token": id_token},
        )

    def jwks(self, request: BaseHTTPRequestHandler, query: dict[str, str]) -> None:
        public = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        self.reply(request, 200, {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]})

    def userinfo(self, request: BaseHTTPRequestHandler, query: dict[str, str]) -> None:
        token = (request.headers.get("Authorization") or "").removeprefix("Bearer ")
        identity = self.access_tokens.get(token)
        if identity is None:
            self.reply(request, 401, {"error": "invalid_token"})
            return
        now = int(time.time())
        self.reply(request, 200, self.sign({**identity.claims(), "iss": self.url, "aud": CLIENT_ID, "iat": now}))

    def end_session(self, request: BaseHTTPRequestHandler, query: dict[str, str]) -> None:
        target = query.get("post_logout_redirect_uri", "")
        if not query.get("id_token_hint") or not target:
            self.reply(request, 400, {"error": "invalid_request"})
            return
        self.redirect(request, target, {"state": query.get("state", "")})


@contextmanager
def running(settings: Any) -> Iterator[FakeProvider]:
    """A fake ProConnect, and the test's settings pointing at it (what the PROCONNECT_* variables give)."""
    fake = FakeProvider()
    for name, value in fake.settings().items():
        setattr(settings, name, value)
    try:
        yield fake
    finally:
        fake.stop()


def go_to_provider(client: Client, provider: FakeProvider, **params: str) -> str:
    """Click the button, let the provider answer as a browser would see it: the callback URL it sends back to."""
    start = client.get(reverse("accounts:proconnect_authenticate"), params)
    assert start.status_code == 302
    assert start.url.startswith(f"{provider.url}/authorize?")
    back = requests.get(start.url, allow_redirects=False, timeout=5)
    assert back.status_code == 302
    return str(back.headers["Location"])


def sign_in(client: Client, provider: FakeProvider, **params: str) -> Any:
    """The whole round trip through the provider: the callback's response."""
    return client.get(go_to_provider(client, provider, **params))
