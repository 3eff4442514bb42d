"""The baseline: a bare Starlette hello-world, served exactly like the real app."""

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route


async def hello(request):
    return PlainTextResponse("hello")


app = Starlette(routes=[Route("/", hello), Route("/healthz", hello)])
