"""The one way CodeVeil calls an upstream model: URL and auth per kind, retries, timeouts.

The gateway's handlers and the loop both call through :class:`UpstreamClient`. A retry happens
only before the first byte of an answer has reached anyone, so it is invisible to the client.
"""

from __future__ import annotations

import asyncio
import logging
from types import TracebackType

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy

from proxy.config import Upstream
from proxy.upstream.headers import upstream_headers
from proxy.wire.errors import ApiError

log = logging.getLogger("codeveil")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_NO_HEADERS: CIMultiDictProxy[str] = CIMultiDictProxy(CIMultiDict())


def retry_delay(headers: CIMultiDictProxy[str] | None, attempt: int, cap: float = 30.0) -> float:
    """Retry-After (seconds or ms variants) when the upstream gives one, else backoff."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name) if headers is not None else None
        if value:
            try:
                return min(cap, max(0.0, float(value) * scale))
            except ValueError:
                break  # an HTTP date: fall back to backoff
    return min(cap, 0.25 * 2**attempt)


def timeout_for(upstream: Upstream) -> aiohttp.ClientTimeout:
    # sock_read bounds the wait for each next byte, so long streams are fine.
    return aiohttp.ClientTimeout(
        total=None, connect=upstream.connect_timeout, sock_read=upstream.timeout
    )


def unreachable(upstream: Upstream, exc: BaseException) -> ApiError:
    """The API error for an upstream that timed out or could not be reached."""
    if isinstance(exc, TimeoutError):
        return ApiError(
            504,
            f"upstream '{upstream.name}' did not answer in time",
            "upstream_error",
            "upstream_timeout",
        )
    return ApiError(
        502,
        f"upstream '{upstream.name}' could not be reached ({type(exc).__name__})",
        "upstream_error",
        "upstream_unreachable",
    )


class UpstreamClient:
    """One connection pool for every upstream; open it with ``async with``."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> UpstreamClient:
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, ttl_dns_cache=300), auto_decompress=True
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("the upstream client is not open")
        return self._session

    async def post(
        self,
        upstream: Upstream,
        path: str,
        model: str,
        data: bytes,
        client: CIMultiDictProxy[str] | None = None,
        forward_key: bool = True,
    ) -> aiohttp.ClientResponse:
        """POST ``data`` to ``path`` of ``upstream`` for ``model``; the caller releases the answer.

        Retries on connection errors, timeouts, 429 and 5xx, honouring Retry-After; the last
        attempt's answer is returned whatever its status, its connection error raised.
        """
        url = upstream.url(path, model)
        headers = upstream_headers(
            upstream, client if client is not None else _NO_HEADERS, forward_key
        )
        for attempt in range(upstream.retries + 1):
            last = attempt == upstream.retries
            try:
                resp = await self.session.post(
                    url, data=data, headers=headers, timeout=timeout_for(upstream)
                )
            except (aiohttp.ClientConnectionError, TimeoutError):
                if last:
                    raise
                await asyncio.sleep(retry_delay(None, attempt))
                continue
            if resp.status in RETRY_STATUSES and not last:
                delay = retry_delay(resp.headers, attempt)
                resp.release()
                log.warning("upstream retry", extra={"status": resp.status})
                await asyncio.sleep(delay)
                continue
            return resp
        raise AssertionError("unreachable")

    async def get(
        self, upstream: Upstream, path: str, client: CIMultiDictProxy[str]
    ) -> aiohttp.ClientResponse:
        """GET ``path`` below the upstream's base URL (no retries: nothing is at stake)."""
        return await self.session.get(
            f"{upstream.base_url}{path}",
            headers=upstream_headers(upstream, client),
            timeout=timeout_for(upstream),
        )
