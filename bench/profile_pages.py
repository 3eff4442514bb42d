"""Where a signed-in page spends its time: pyinstrument over many in-process requests.

Builds the network of bench/http.py, then serves each page many times to the app in this process
(no sockets, so the profile is the app's own work) and prints pyinstrument's call tree for each.
Usage: python bench/profile_pages.py [requests per page] [page name substring]
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import asyncio  # noqa: E402

import httpx  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from bench._network import populate, seed_demo  # noqa: E402
from bench._serve import start_survnet, stop, survnet_env  # noqa: E402
from network.app import create_app  # noqa: E402
from network.core.settings import load_settings  # noqa: E402


async def profile(env: dict, network, count: int, only: str) -> None:
    from bench.http import targets

    app = create_app(load_settings(env))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        for name, url, who in targets(network):
            if only not in name:
                continue
            path = url[len(network.url):]
            headers = {"cookie": network.cookies[who]} if who else {}
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
                assert (await http.get(path, headers=headers)).status_code == 200, name
                profiler = Profiler(interval=0.0005, async_mode="enabled")
                with profiler:
                    for _ in range(count):
                        await http.get(path, headers=headers)
            print(f"===== {name} ({who or 'visitor'}): {count} requests")
            print(profiler.output_text(unicode=False, color=False, show_all=False, short_mode=False))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    only = sys.argv[2] if len(sys.argv) > 2 else ""
    env = survnet_env(SURVNET_HOLD_FIRST_MESSAGES="0")
    seed_demo(env)
    server, url = start_survnet(env)
    try:
        network = populate(url, env)
    finally:
        stop(server)
    asyncio.run(profile(env, network, count, only))


if __name__ == "__main__":
    main()
