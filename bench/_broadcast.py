"""The baseline for bench/rooms.py: a bare `websockets` server that relays every frame to every
connection, run in a process of its own (as survnet's workers are). Usage: python _broadcast.py PORT"""

import sys
from pathlib import Path

# This folder holds http.py, which would shadow the standard library's http package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import asyncio  # noqa: E402
import logging  # noqa: E402

from websockets.asyncio.server import broadcast, serve  # noqa: E402


async def main(port: int) -> None:
    logging.getLogger("websockets").setLevel(logging.CRITICAL)
    connections = set()

    async def handler(ws):
        connections.add(ws)
        try:
            async for raw in ws:
                broadcast(list(connections), raw)
        finally:
            connections.discard(ws)

    async with serve(handler, "127.0.0.1", port, max_queue=None):
        print("ready", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
