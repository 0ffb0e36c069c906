"""The SPARQL endpoint client against servers that misbehave: slow, endless, garbage."""

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kg_extract.store import EndpointStore, QueryError, StoreError


def _serve(reply):
    """A local HTTP server on 127.0.0.1 whose POST handler is ``reply(handler)``."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                reply(self)  # the client may give up, as it should

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def endpoint():
    servers = []

    def make(reply, **options):
        server = _serve(reply)
        servers.append(server)
        return EndpointStore(f"http://127.0.0.1:{server.server_address[1]}", **options)

    yield make
    for server in servers:
        server.shutdown()
        server.server_close()


def _headers(handler, content_type, length=None):
    handler.send_response(200)
    handler.send_header("Content-Type", content_type)
    if length is not None:
        handler.send_header("Content-Length", str(length))
    handler.end_headers()


def test_a_server_trickling_one_byte_at_a_time_hits_the_total_timeout(endpoint):
    def trickle(handler):
        _headers(handler, "application/sparql-results+json")
        for _ in range(100):  # bounded: stops by itself after about 10 s
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.1)

    store = endpoint(trickle, timeout=1.0)
    started = time.monotonic()
    with pytest.raises(StoreError, match="no complete answer within 1 s"):
        store.query("ASK {}")
    assert time.monotonic() - started < 3


def test_an_endless_reply_is_cut_at_the_size_cap(endpoint):
    def endless(handler):
        _headers(handler, "application/sparql-results+json")
        chunk = b"x" * 65536
        for _ in range(2000):  # at most 128 MB, well past the cap
            handler.wfile.write(chunk)

    store = endpoint(endless, max_response_bytes=1 << 20)
    with pytest.raises(QueryError, match="larger than 1,048,576 bytes"):
        store.query("SELECT * WHERE { ?s ?p ?o }")


@pytest.mark.parametrize(
    ("content_type", "body", "message"),
    [
        ("application/sparql-results+json", b"{not json", "malformed reply"),
        ("application/sparql-results+json", b'["a list"]', "malformed reply"),
        (
            "application/sparql-results+json",
            b'{"head": {"vars": ["s"]}, "results": 3}',
            "malformed",
        ),
        (
            "application/sparql-results+json",
            json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {}}]}}).encode(),
            "malformed reply",
        ),
        ("text/html", b"<html><body>Welcome to nginx</body></html>", "not a SPARQL endpoint"),
        ("application/n-triples", b"<a> <b> garbage .", "malformed reply"),
    ],
)
def test_garbage_replies_are_one_line_query_errors(endpoint, content_type, body, message):
    def garbage(handler):
        _headers(handler, content_type, len(body))
        handler.wfile.write(body)

    with pytest.raises(QueryError, match=message) as caught:
        endpoint(garbage).query("SELECT * WHERE { ?s ?p ?o }")
    assert "\n" not in str(caught.value)


def test_http_errors_name_the_status_and_cap_the_body(endpoint):
    def error(handler):
        handler.send_response(500)
        handler.send_header("Content-Type", "text/plain")
        handler.end_headers()
        handler.wfile.write(b"boom\n" * 10000)

    with pytest.raises(QueryError, match="HTTP 500: boom") as caught:
        endpoint(error).query("ASK {}")
    assert len(str(caught.value)) < 400
