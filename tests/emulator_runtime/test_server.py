"""The loopback HTTP/1.1 server: framing, keep-alive, streaming, resets, shutdown."""

from __future__ import annotations

import asyncio
import json
import socket
import time

import httpx
import pytest

from workersai.emulator import RESET
from workersai.emulator.server import EmulatorServer, serve

from .rawhttp import read_response, request_bytes
from .stub import StubHandler, events

RUN = "/client/v4/accounts/abc/ai/run/@cf/meta/llama-3.1-8b-instruct"


async def connect(server: EmulatorServer) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", server.port)


def test_urls(stub_server: EmulatorServer) -> None:
    assert stub_server.port > 0
    assert stub_server.url == f"http://127.0.0.1:{stub_server.port}"
    assert stub_server.base_url == f"http://127.0.0.1:{stub_server.port}/client/v4"
    assert "running" in repr(stub_server)


def test_httpx_round_trip_with_json_body(stub_server: EmulatorServer, stub: StubHandler) -> None:
    with httpx.Client(base_url=stub_server.base_url) as client:
        response = client.post("/accounts/a/echo?x=1&y=", json={"prompt": "héllo"},
                               headers={"Authorization": "Bearer t"})
    echo = response.json()
    assert echo["path"] == "/client/v4/accounts/a/echo"
    assert echo["query"] == {"x": "1", "y": ""}
    assert echo["headers"]["authorization"] == "Bearer t"
    assert json.loads(echo["body"]) == {"prompt": "héllo"}
    assert response.headers["content-length"] == str(len(response.content))


def test_percent_encoded_path_is_decoded(stub_server: EmulatorServer, stub: StubHandler) -> None:
    httpx.post(stub_server.url + "/client/v4/accounts/a/ai/run/%40cf/meta/m")
    assert stub.requests[0].path == "/client/v4/accounts/a/ai/run/@cf/meta/m"


async def test_keep_alive_serves_several_requests_on_one_connection(
        stub_server: EmulatorServer, stub: StubHandler) -> None:
    reader, writer = await connect(stub_server)
    for i in range(3):
        writer.write(request_bytes(f"/echo?i={i}", body=b'{"n":%d}' % i))
        response = await read_response(reader)
        assert response.status == 200
        assert json.loads(response.body)["query"] == {"i": str(i)}
        assert "connection" not in response.headers
    writer.write(request_bytes(RUN + "/stream?n=3"))  # a chunked stream, then one more
    assert len(events((await read_response(reader)).body)) == 5
    writer.write(request_bytes("/echo"))
    assert (await read_response(reader)).status == 200
    writer.close()
    assert len(stub.requests) == 5


async def test_httpx_reuses_the_connection(stub_server: EmulatorServer) -> None:
    ports = set()
    async with httpx.AsyncClient(base_url=stub_server.base_url) as client:
        for _ in range(5):
            response = await client.get("/echo")
            stream = response.extensions["network_stream"]
            ports.add(stream.get_extra_info("client_addr")[1])
    assert len(ports) == 1


async def test_connection_close_is_honoured(stub_server: EmulatorServer) -> None:
    reader, writer = await connect(stub_server)
    writer.write(request_bytes("/echo", headers={"Connection": "close"}))
    response = await read_response(reader)
    assert response.headers["connection"] == "close"
    assert await reader.read() == b""  # server closed
    writer.close()


async def test_http10_closes_unless_keep_alive(stub_server: EmulatorServer) -> None:
    reader, writer = await connect(stub_server)
    writer.write(b"GET /echo HTTP/1.0\r\n\r\n")
    response = await read_response(reader)
    assert response.status == 200 and await reader.read() == b""
    writer.close()


async def test_chunked_request_body(stub_server: EmulatorServer, stub: StubHandler) -> None:
    reader, writer = await connect(stub_server)
    writer.write(b"POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                 b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n")
    response = await read_response(reader)
    assert json.loads(response.body)["body"] == "hello world"
    writer.close()


async def test_streamed_body_uses_chunked_encoding(stub_server: EmulatorServer) -> None:
    reader, writer = await connect(stub_server)
    writer.write(request_bytes(RUN + "/stream?n=4&pause=0.01"))
    response = await read_response(reader)
    assert response.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in response.headers
    assert len(response.chunks) >= 4  # pauses flush: one chunk per event at least
    assert events(response.body)[-1] == "[DONE]"
    writer.close()


async def test_stream_is_incremental_over_loopback(stub_server: EmulatorServer,
                                                   stub: StubHandler) -> None:
    seen = []
    async with httpx.AsyncClient(base_url=stub_server.base_url) as client:
        async with client.stream("POST", "/ai/run/m/stream?n=5&pause=0.05") as response:
            async for _ in response.aiter_raw():
                seen.append(stub.produced)
    assert seen[0] == 1 and seen[:5] == [1, 2, 3, 4, 5]


async def test_reset_mid_stream_and_before_any_byte(stub_server: EmulatorServer,
                                                    stub: StubHandler) -> None:
    async with httpx.AsyncClient(base_url=stub_server.base_url) as client:
        stub.body = [b"data: a\n\n", 0.01, RESET]
        got = []
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            async with client.stream("POST", "/ai/run/m") as response:
                async for chunk in response.aiter_raw():
                    got.append(chunk)
        assert got == [b"data: a\n\n"]
        stub.body = [RESET]
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            await client.post("/ai/run/m")
        stub.body = None
        assert (await client.post("/echo")).status_code == 200  # the server lives on


async def test_stall_trips_client_read_timeout(stub_server: EmulatorServer,
                                               stub: StubHandler) -> None:
    stub.body = [30.0, b"data: late\n\n"]
    start = time.perf_counter()
    async with httpx.AsyncClient(base_url=stub_server.base_url,
                                 timeout=httpx.Timeout(5.0, read=0.2)) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.post("/ai/run/m")
    assert time.perf_counter() - start < 2.0


async def test_handler_exception_is_500_and_connection_survives(
        stub_server: EmulatorServer) -> None:
    reader, writer = await connect(stub_server)
    writer.write(request_bytes("/boom"))
    assert (await read_response(reader)).status == 500
    writer.write(request_bytes("/echo"))
    assert (await read_response(reader)).status == 200
    writer.close()


async def test_bad_request_line_gets_400(stub_server: EmulatorServer) -> None:
    reader, writer = await connect(stub_server)
    writer.write(b"NONSENSE\r\n\r\n")
    response = await read_response(reader)
    assert response.status == 400 and response.headers["connection"] == "close"
    writer.close()


async def test_single_piece_stream_body_gets_content_length(stub_server: EmulatorServer,
                                                             stub: StubHandler) -> None:
    reader, writer = await connect(stub_server)
    stub.body = [0.01, b'{"result":{}}']
    writer.write(request_bytes("/ai/run/m"))
    response = await read_response(reader)
    assert response.headers["content-length"] == "13" and response.body == b'{"result":{}}'
    stub.body = [b"a", b"b"]
    writer.write(request_bytes("/ai/run/m"))
    response = await read_response(reader)
    assert response.headers["transfer-encoding"] == "chunked" and response.body == b"ab"
    writer.close()


async def test_head_request_has_no_body(stub_server: EmulatorServer) -> None:
    reader, writer = await connect(stub_server)
    writer.write(request_bytes("/echo", method="HEAD"))
    head = await reader.readuntil(b"\r\n\r\n")
    assert b"content-length:" in head
    writer.write(request_bytes("/echo"))  # the next bytes are the next response
    assert (await read_response(reader)).status == 200
    writer.close()


def test_stop_closes_idle_and_stalled_connections(stub: StubHandler) -> None:
    stub.body = [60.0, b"x"]
    server = EmulatorServer(stub).start()
    port = server.port
    idle = socket.create_connection(("127.0.0.1", port))
    stalled = socket.create_connection(("127.0.0.1", port))
    stalled.sendall(request_bytes("/ai/run/m"))
    time.sleep(0.05)
    start = time.perf_counter()
    server.stop()
    assert time.perf_counter() - start < 2.0
    for sock in (idle, stalled):
        sock.settimeout(2.0)
        assert sock.recv(100) == b""  # closed by the server without a reply
        sock.close()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    server.stop()  # idempotent


def test_start_on_busy_port_raises(stub_server: EmulatorServer, stub: StubHandler) -> None:
    with pytest.raises(OSError):
        EmulatorServer(stub, port=stub_server.port).start()


def test_restart_after_stop(stub: StubHandler) -> None:
    server = EmulatorServer(stub)
    for _ in range(2):
        with server:
            assert httpx.get(server.url + "/echo").status_code == 200
    assert len(stub.requests) == 2


async def test_serve_coroutine_until_cancelled(stub: StubHandler) -> None:
    ports: list[int] = []
    bound = asyncio.Event()

    def ready(port: int) -> None:
        ports.append(port)
        bound.set()

    task = asyncio.create_task(serve(stub, "127.0.0.1", 0, ready=ready))
    await asyncio.wait_for(bound.wait(), 5.0)
    async with httpx.AsyncClient() as client:
        assert (await client.get(f"http://127.0.0.1:{ports[0]}/echo")).status_code == 200
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", ports[0])


async def test_expect_100_continue(stub_server: EmulatorServer) -> None:
    reader, writer = await connect(stub_server)
    writer.write(request_bytes("/echo", headers={"Expect": "100-continue",
                                                 "Content-Length": "4"}))
    assert await reader.readuntil(b"\r\n\r\n") == b"HTTP/1.1 100 Continue\r\n\r\n"
    writer.write(b"abcd")
    response = await read_response(reader)
    assert json.loads(response.body)["body"] == "abcd"
    writer.close()


async def test_head_on_a_stream_sends_no_body(stub_server: EmulatorServer,
                                              stub: StubHandler) -> None:
    reader, writer = await connect(stub_server)
    writer.write(request_bytes(RUN + "/stream?n=3", method="HEAD"))
    head = await reader.readuntil(b"\r\n\r\n")
    assert b"transfer-encoding: chunked" in head
    writer.write(request_bytes("/echo"))
    assert (await read_response(reader)).status == 200
    assert stub.produced == 0
    writer.close()
