"""Delivering webhook events: the signature, the address rule (no requests into our own network) and
one HTTP attempt. Nothing here writes to the database; services.py records each attempt."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

SIGNATURE_HEADER = "X-Credence-Signature"
TIMESTAMP_HEADER = "X-Credence-Timestamp"
EVENT_HEADER = "X-Credence-Event"
DELIVERY_HEADER = "X-Credence-Delivery"
TIMEOUT_SECONDS = 5.0
EXCERPT_CHARS = 500


class AddressRefused(Exception):
    """The URL may not be called: plain HTTP, or an address inside a private network, in production."""


def allow_private_addresses() -> bool:
    return bool(getattr(settings, "CREDENCE_WEBHOOK_ALLOW_PRIVATE", settings.DEBUG))


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value: HMAC-SHA256 over `<timestamp>.<body>` with the endpoint's secret."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str, *, resolve: bool) -> list[str]:
    """Refuse a URL we must not call; return the addresses it resolves to (when `resolve`).

    With private addresses allowed (development, tests), only the scheme is checked. Otherwise the URL
    must be HTTPS and every address its host resolves to must be public. A host that does not resolve is
    accepted when not resolving (registration) and refused when resolving (delivery).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused("Give an http(s) URL with a host name.")
    host = parts.hostname
    if allow_private_addresses():
        return _resolve(host, parts.port) if resolve else []
    if parts.scheme != "https":
        raise AddressRefused("Webhook URLs must use https.")
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        raise AddressRefused(f"{host} is a local name; webhooks may only call public addresses.")
    try:
        addresses = _resolve(host, parts.port)
    except OSError:
        if resolve:
            raise AddressRefused(f"{host} does not resolve.") from None
        return []
    private = [a for a in addresses if not _is_public(a)]
    if private:
        raise AddressRefused(
            f"{host} points at {private[0]}, a private, loopback or reserved address; "
            "webhooks may only call public addresses."
        )
    return addresses


def _resolve(host: str, port: int | None) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the name resolves to a moment later."""

    def __init__(self, host: str, port: int | None, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int | None, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Attempt:
    ok: bool
    status_code: int | None
    response_excerpt: str
    error: str
    duration_ms: int
    refused: bool = False


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Attempt:
    """POST `body` once; a 2xx answer is a success. Never raises for network trouble."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        addresses = check_url(url, resolve=True)
    except AddressRefused as refused:
        return Attempt(False, None, "", str(refused), elapsed(), refused=True)
    except OSError as error:
        return Attempt(False, None, "", f"Could not resolve the host: {error}", elapsed())
    parts = urlsplit(url)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(parts.hostname or "", parts.port, addresses[0], timeout=TIMEOUT_SECONDS)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_CHARS * 4).decode("utf-8", "replace")[:EXCERPT_CHARS]
        status = response.status
    except (OSError, http.client.HTTPException) as error:
        return Attempt(False, None, "", f"{type(error).__name__}: {error}"[:300], elapsed())
    finally:
        connection.close()
    ok = 200 <= status < 300
    return Attempt(ok, status, excerpt, "" if ok else f"The receiver answered {status}.", elapsed())
