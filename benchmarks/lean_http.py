"""A lean HTTP/1.1 load generator's client: asyncio streams, keep-alive, no more.

The benchmarks run the server and the load generator on the same two cores,
so every millisecond the client spends is a millisecond the server does not
get. httpx's ``AsyncClient`` costs ~2-3 ms of CPU per request here (its
connection pool, header models, URL parsing and event hooks are made for
applications, not for load); this client costs a tenth of that, as a load
tool such as ``wrk`` would (measured in ``docs/performance.md``, fifth pass).

The subset of httpx's interface the benchmarks use: ``await
client.request(method, path, headers=, json=, data=)`` returning a response
with ``status_code``, ``headers``, ``content`` and ``json()``; transport
failures raise :class:`TransportError` (a subclass of
``httpx.TransportError``, so the benchmarks count them the same way).

It speaks only what the benchmarks need of HTTP/1.1: requests with a body
of known length, responses framed by ``Content-Length`` or ``chunked``, and
keep-alive connections (reopened when the server closes one; a request that
found its idle connection closed before any byte of an answer is sent again
on a new one, as browsers do).
"""

from __future__ import annotations

import asyncio
import json as jsonlib
from urllib.parse import urlencode, urlsplit

import httpx


class TransportError(httpx.TransportError):
    """The connection failed or the answer was not HTTP/1.1 we understand."""

    def __init__(self, message: str):
        super().__init__(message)


class Response:
    __slots__ = ("content", "headers", "status_code")

    def __init__(self, status_code: int, headers: dict[str, str], content: bytes):
        self.status_code = status_code
        self.headers = headers
        self.content = content

    def json(self):
        return jsonlib.loads(self.content)


class _Connection:
    __slots__ = ("reader", "used", "writer")

    def __init__(self, reader, writer):
        self.reader, self.writer, self.used = reader, writer, False

    def close(self) -> None:
        self.writer.close()


class LeanClient:
    """Keep-alive connections to one server, at most ``connections`` open."""

    def __init__(self, base_url: str, *, connections: int = 64, timeout: float = 60):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.host_header = f"{self.host}:{self.port}".encode()
        self.timeout = timeout
        self._idle: list[_Connection] = []
        self._slots = asyncio.Semaphore(connections)

    async def __aenter__(self) -> LeanClient:
        return self

    async def __aexit__(self, *exc) -> None:
        while self._idle:
            self._idle.pop().close()

    async def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict | None = None,
        json=None,
        data: dict | None = None,
    ) -> Response:
        if path.startswith("http"):
            path = urlsplit(path)._replace(scheme="", netloc="").geturl()
        body, ctype = b"", None
        if json is not None:
            body, ctype = jsonlib.dumps(json).encode(), b"application/json"
        elif data is not None:
            body, ctype = urlencode(data).encode(), b"application/x-www-form-urlencoded"
        head = [
            method.encode(),
            b" ",
            path.encode(),
            b" HTTP/1.1\r\nHost: ",
            self.host_header,
            b"\r\nContent-Length: ",
            str(len(body)).encode(),
            b"\r\n",
        ]
        if ctype:
            head += [b"Content-Type: ", ctype, b"\r\n"]
        for name, value in (headers or {}).items():
            head += [name.encode(), b": ", value.encode(), b"\r\n"]
        head.append(b"\r\n")
        raw = b"".join(head) + body
        async with self._slots:
            try:
                return await asyncio.wait_for(self._send(raw), self.timeout)
            except TimeoutError as exc:
                raise TransportError(f"no answer within {self.timeout} s") from exc

    async def _send(self, raw: bytes) -> Response:
        while True:
            conn = self._idle.pop() if self._idle else await self._open()
            reused = conn.used
            try:
                conn.writer.write(raw)
                response, keep = await self._read(conn.reader)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                conn.close()
                stale = isinstance(exc, asyncio.IncompleteReadError) and not exc.partial
                if reused and (stale or isinstance(exc, ConnectionResetError)):
                    continue  # the server had closed the idle connection: resend
                raise TransportError(f"{type(exc).__name__}: {exc}") from exc
            conn.used = True
            if keep:
                self._idle.append(conn)
            else:
                conn.close()
            return response

    async def _open(self) -> _Connection:
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port)
        except OSError as exc:
            raise TransportError(f"connect: {exc}") from exc
        return _Connection(reader, writer)

    @staticmethod
    async def _read(reader) -> tuple[Response, bool]:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        version, status, *_ = lines[0].split(" ", 2)
        if not version.startswith("HTTP/1."):
            raise ValueError(f"not an HTTP/1.x answer: {lines[0]!r}")
        headers = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            content = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await reader.readuntil(b"\r\n")  # no trailers are sent to us
                    break
                parts.append(await reader.readexactly(size))
                await reader.readexactly(2)
            content = b"".join(parts)
        elif int(status) in (204, 304) or 100 <= int(status) < 200:
            content = b""
        else:  # framed by closing the connection
            content = await reader.read()
            return Response(int(status), headers, content), False
        keep = (
            headers.get("connection", "").lower() != "close" and version == "HTTP/1.1"
        )
        return Response(int(status), headers, content), keep
