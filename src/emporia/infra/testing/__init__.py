"""Test helpers for infra: a real HTTP receiver on an ephemeral port."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: bytes
    client_port: int = 0  # the same port on two requests: one kept-alive connection


@dataclass
class Receiver:
    """A little HTTP server that records every POST and answers ``status``."""

    status: int = 200
    delay: float = 0.0
    # after each answer, close the connection without saying so (as a server
    # whose keep-alive timeout ran out between two requests)
    drop_idle: bool = False
    requests: list[ReceivedRequest] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hook"

    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedRequest]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.requests


def start_receiver(status: int = 200, *, keep_alive: bool = False) -> Receiver:
    """Start a receiver on an ephemeral port: HTTP/1.0 (a connection per
    request), or HTTP/1.1 with kept-alive connections when ``keep_alive``."""
    receiver = Receiver(status=status)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if receiver.delay:
                time.sleep(receiver.delay)
            with lock:
                receiver.requests.append(
                    ReceivedRequest(
                        self.path,
                        dict(self.headers.items()),
                        body,
                        self.client_address[1],
                    )
                )
            answer = b"ok" if receiver.status < 300 else b"nope"
            self.send_response(receiver.status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
            if receiver.drop_idle:
                self.close_connection = True

        def log_message(self, *args):  # keep test output quiet
            pass

    receiver.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    return receiver


def stop_receiver(receiver: Receiver) -> None:
    receiver.server.shutdown()
    receiver.server.server_close()
