"""Refusing to serve an open API on an address others can reach."""

import ipaddress

from entrypoints.settings import Settings


def is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may well be reachable from elsewhere


def exposure_refusal(settings: Settings, host: str) -> str | None:
    """Why `serve` must not start on `host` (one line), or None: no credentials on a non-loopback address,
    unless AUTH_DISABLED=true says so on purpose."""
    if is_loopback(host) or settings.auth_enabled or settings.auth_disabled:
        return None
    return (f"refusing to serve without authentication on {host}, which is not a loopback address: set "
            "AUTH_API_KEYS or AUTH_JWT_SECRET / AUTH_JWT_PUBLIC_KEY, or AUTH_DISABLED=true to serve it open on purpose")
