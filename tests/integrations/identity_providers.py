"""Identity providers that run inside a test, on loopback: a small but real OpenID Connect provider
(discovery, JWKS, authorize with PKCE, token, userinfo; RS256-signed ID tokens)."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass
class OidcProvider:
    """The person the provider signs in is `person` (claims); `email_verified` can be turned off."""

    client_id: str = "credence-test"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    person: dict[str, Any] = field(default_factory=dict)
    base_url: str = ""
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    token_requests: int = 0

    def __post_init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(4)

    def _jwks(self) -> dict[str, Any]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [jwk | {"kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.base_url,
            "authorization_endpoint": f"{self.base_url}/authorize",
            "token_endpoint": f"{self.base_url}/token",
            "userinfo_endpoint": f"{self.base_url}/userinfo",
            "jwks_uri": f"{self.base_url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }

    def authorize(self, query: dict[str, str]) -> str:
        """The redirect back to the client, with a fresh code (the person is already signed in here)."""
        assert query["client_id"] == self.client_id and query["response_type"] == "code"
        code = secrets.token_urlsafe(16)
        self.codes[code] = query
        return query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})

    def token(self, form: dict[str, str]) -> dict[str, Any]:
        self.token_requests += 1
        request = self.codes.pop(form["code"])  # a code is good once
        assert form["client_id"] == self.client_id and form["client_secret"] == self.client_secret
        assert form["redirect_uri"] == request["redirect_uri"]
        if "code_challenge" in request:
            digest = hashlib.sha256(form["code_verifier"].encode()).digest()
            assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == request["code_challenge"]
        now = int(time.time())
        claims = {
            "iss": self.base_url,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            **({"nonce": request["nonce"]} if "nonce" in request else {}),
            **self.person,
        }
        id_token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})
        return {
            "access_token": "at-" + secrets.token_hex(8),
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }


def serve_oidc(provider: OidcProvider) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _json(self, body: Any, status: int = 200) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path == "/.well-known/openid-configuration":
                self._json(provider.discovery())
            elif parts.path == "/jwks":
                self._json(provider._jwks())
            elif parts.path == "/authorize":
                self.send_response(302)
                self.send_header("Location", provider.authorize(query))
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif parts.path == "/userinfo":
                self._json(provider.person)
            else:
                self._json({"error": "not_found"}, 404)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path == "/token":
                try:
                    self._json(provider.token(form))
                except (AssertionError, KeyError):
                    self._json({"error": "invalid_grant"}, 400)
            else:
                self._json({"error": "not_found"}, 404)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    provider.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- SAML 2.0 -------------------------------------------------------------------------------------------


def _self_signed(common_name: str) -> tuple[str, str]:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


@dataclass
class SamlIdentityProvider:
    """Answers an AuthnRequest (HTTP-Redirect binding) with a signed Response for `person`, as an
    auto-posting HTML form back to the service provider's ACS (HTTP-POST binding)."""

    person: dict[str, str] = field(default_factory=dict)  # nameid, email, first_name, last_name
    entity_id: str = "https://idp.test.example/saml/metadata"
    base_url: str = ""
    requests_seen: int = 0

    def __post_init__(self) -> None:
        self.key_pem, self.cert_pem = _self_signed("Test identity provider")

    @property
    def sso_url(self) -> str:
        return f"{self.base_url}/sso"

    def respond(self, query: dict[str, str]) -> str:
        import zlib
        from datetime import UTC, datetime, timedelta
        from xml.sax.saxutils import escape, quoteattr

        from lxml import etree
        from onelogin.saml2.constants import OneLogin_Saml2_Constants as C
        from onelogin.saml2.utils import OneLogin_Saml2_Utils

        self.requests_seen += 1
        request = etree.fromstring(zlib.decompress(base64.b64decode(query["SAMLRequest"]), -15))
        request_id = request.get("ID")
        acs = request.get("AssertionConsumerServiceURL")
        audience = request.find("{urn:oasis:names:tc:SAML:2.0:assertion}Issuer").text

        def instant(delta: timedelta = timedelta()) -> str:
            return (datetime.now(UTC) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")

        assertion_id = "_a" + secrets.token_hex(16)
        claims = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/"
        attributes = "".join(
            f'<saml:Attribute Name="{claims}{name}"><saml:AttributeValue>{escape(self.person[key])}'
            "</saml:AttributeValue></saml:Attribute>"
            for key, name in (
                ("email", "emailaddress"),
                ("first_name", "givenname"),
                ("last_name", "surname"),
            )
            if key in self.person
        )
        assertion = (
            f'<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{assertion_id}" '
            f'Version="2.0" IssueInstant="{instant()}">'
            f"<saml:Issuer>{self.entity_id}</saml:Issuer>"
            "<saml:Subject>"
            '<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">'
            f"{escape(self.person['nameid'])}</saml:NameID>"
            '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            f'<saml:SubjectConfirmationData InResponseTo="{request_id}" Recipient="{acs}" '
            f'NotOnOrAfter="{instant(timedelta(minutes=5))}"/>'
            "</saml:SubjectConfirmation></saml:Subject>"
            f'<saml:Conditions NotBefore="{instant(timedelta(minutes=-1))}" '
            f'NotOnOrAfter="{instant(timedelta(minutes=5))}">'
            f"<saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction>"
            "</saml:Conditions>"
            f'<saml:AuthnStatement AuthnInstant="{instant()}" SessionIndex="{assertion_id}">'
            "<saml:AuthnContext><saml:AuthnContextClassRef>"
            "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
            "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
            f"<saml:AttributeStatement>{attributes}</saml:AttributeStatement>"
            "</saml:Assertion>"
        )
        signed = OneLogin_Saml2_Utils.add_sign(
            assertion, self.key_pem, self.cert_pem, sign_algorithm=C.RSA_SHA256, digest_algorithm=C.SHA256
        )
        signed_text = signed.decode() if isinstance(signed, bytes) else signed
        signed_text = signed_text.split("?>", 1)[-1] if signed_text.startswith("<?xml") else signed_text
        response = (
            '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
            'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
            f'ID="_r{secrets.token_hex(16)}" Version="2.0" IssueInstant="{instant()}" '
            f'Destination="{acs}" InResponseTo="{request_id}">'
            f"<saml:Issuer>{self.entity_id}</saml:Issuer>"
            '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
            f"{signed_text}</samlp:Response>"
        )
        encoded = base64.b64encode(response.encode()).decode()
        return (
            f'<html><body><form method="post" action={quoteattr(acs)}>'
            f'<input type="hidden" name="SAMLResponse" value="{encoded}">'
            f'<input type="hidden" name="RelayState" value={quoteattr(query.get("RelayState", ""))}>'
            "</form></body></html>"
        )


def serve_saml(provider: SamlIdentityProvider) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path != "/sso":
                self.send_response(404)
                self.end_headers()
                return
            body = provider.respond({k: v[0] for k, v in parse_qs(parts.query).items()}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    provider.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
