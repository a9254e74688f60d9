"""A WebSocket echo server from Debian's python3-websockets (an independent implementation of
RFC 6455), over TLS when given a certificate and key: prints its port, echoes every message.
Used by tests/upload/websocket_test.cpp. usage: websocket_echo.py [CERT KEY]"""
import asyncio
import ssl
import sys

import websockets


async def echo(ws, path=None):
    async for message in ws:
        await ws.send(message)


async def main():
    context = None
    if len(sys.argv) == 3:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
    async with websockets.serve(echo, "127.0.0.1", 0, ssl=context) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.sleep(60)


asyncio.run(main())
