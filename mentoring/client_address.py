"""Where a request comes from, for the lockout, the audit trail and "Your sessions".

The client's address, through django-ipware. With no proxy, the connection's own address.
Behind TRUSTED_PROXY_COUNT proxies, each appending the address it was reached from to
X-Forwarded-For, the client is that many entries from the right: anything further left was
written by the client and may be forged. ipware counts the proxies *listed* after the client,
and the proxy nearest Tandem is the connection itself, not listed, hence the "- 1"; not strict,
so a forged entry on the left does not make ipware discard the header.
"""


def client_address_settings(trusted_proxy_count: int) -> dict[str, object]:
    """django-axes' (and so django-ipware's) settings for this many trusted proxies."""
    if not trusted_proxy_count:
        return {"AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",)}
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        "AXES_IPWARE_PROXY_COUNT": trusted_proxy_count - 1,
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        "IPWARE_STRICT": False,
    }
