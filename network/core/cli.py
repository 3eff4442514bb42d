"""The `survnet` command line."""

from __future__ import annotations

import argparse
import asyncio
import sys

from network.core.settings import SettingsError, load_settings


def _serve(args, settings) -> int:
    import uvicorn

    from network.core.logs import log_config

    if args.workers > 1 and not settings.redis_url:
        print(
            "survnet: --workers above 1 needs SURVNET_REDIS_URL: the in-process broker cannot "
            "carry room messages between processes, so members would miss each other's messages.",
            file=sys.stderr,
        )
        return 2
    uvicorn.run(
        "network.app:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=False,  # ours (network.core.middleware.AccessLog) never records an address
        proxy_headers=False,
        server_header=False,
        date_header=False,
        log_config=log_config(),
        ws_max_size=1024 * 1024,  # our handler answers oversized frames with an error frame
        # Compression costs ~64 KiB of zlib state per idle socket, and messages are short.
        ws_per_message_deflate=False,
        # What uvicorn cannot parse is answered like everything else: localised, with our headers.
        http="network.core.protocol:Protocol",
    )
    return 0


def _migrate(args, settings) -> int:
    from network.core.db import migrate

    def progress(event: str, app_label: str, name: str) -> None:
        if event == "apply_done":
            print(f"applied {app_label}.{name}")

    asyncio.run(migrate(settings.database_url, progress=progress))
    print("database is up to date")
    return 0


def _makemigrations(args, settings) -> int:
    from network.core.migration_tools import make_migrations

    created = asyncio.run(make_migrations(settings.database_url, name=args.name))
    for path in created:
        print(f"created {path}")
    if not created:
        print("no changes")
    return 0


def _demo(args, settings) -> int:
    from network.app import command_runtime
    from network.core.demo import seed_demo

    return asyncio.run(seed_demo(command_runtime(settings), only_if_empty=args.if_empty))


def _invite(args, settings) -> int:
    from network.core import db
    from network.core.broker import Broker
    from network.core.hashing import Hasher
    from network.core.refusal import Refused
    from network.core.runtime import Runtime
    from network.members.invitations import create

    async def go() -> str:
        await db.open_db(settings.database_url)
        rt = Runtime.create(settings, Broker(), hasher=Hasher(concurrency=1))
        try:
            invitation, code = await create(rt, None, role=args.role, uses=args.uses, days=args.days)
        finally:
            rt.hasher.close()
            await db.close_db()
        print(f"invitation for role {invitation.role}: {invitation.max_uses} use(s), "
              f"valid until {invitation.expires_at:%Y-%m-%d %H:%M} UTC")
        return code

    try:
        print(asyncio.run(go()))
    except Refused as exc:
        print(f"survnet: {exc.message % exc.params if exc.params else exc.message}", file=sys.stderr)
        return 2
    return 0


def _rotate(args, settings) -> int:
    from network.core import crypto, db
    from network.core.rotation import generate_new_key, reencrypt_all

    if args.generate:
        if settings.production or "SURVNET_DATA_KEY" in __import__("os").environ:
            print("survnet: --generate only works with the development key in ./var; in production set "
                  "SURVNET_DATA_KEY to the new key and SURVNET_PREVIOUS_DATA_KEYS to the old one",
                  file=sys.stderr)
            return 2
        new = generate_new_key(settings)
        settings = settings.with_(data_key=new, previous_data_keys=(*settings.previous_data_keys, settings.data_key))
        crypto.configure(settings.data_key, settings.previous_data_keys)
        print("generated a new data key in ./var/data_key")

    def progress(column: str, done: int, total: int) -> None:
        print(f"{column}: {done}/{total}", flush=True)

    async def go() -> int:
        await db.open_db(settings.database_url)
        try:
            return await reencrypt_all(progress)
        finally:
            await db.close_db()

    count = asyncio.run(go())
    print(f"re-encrypted {count} rows under key version {crypto.keyring().current_version}")
    return 0


def _purge(args, settings) -> int:
    from network.app import command_runtime
    from network.core import db, jobs

    rt = command_runtime(settings)

    async def go() -> dict:
        await db.open_db(settings.database_url)
        try:
            return await jobs.purge_all(rt)
        finally:
            rt.hasher.close()
            await db.close_db()

    for name, count in asyncio.run(go()).items():
        print(f"{name}: {count} deleted")
    return 0


def _package_command(name: str, run):
    """A command a package registered: its coroutine, given a runtime on the database, prints a line."""
    def go(args, settings) -> int:
        from network.app import command_runtime
        from network.core import db

        rt = command_runtime(settings)

        async def once() -> str:
            await db.open_db(settings.database_url)
            try:
                return await run(rt, *args.arguments)
            finally:
                rt.hasher.close()
                await db.close_db()

        print(asyncio.run(once()))
        return 0
    return go


BUILT_IN = ("serve", "migrate", "makemigrations", "invite", "rotate-data-key", "purge", "demo")


def build_parser(commands: dict | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="survnet", description="The survivors' network service.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, run) in (commands or {}).items():
        command = sub.add_parser(name, help=help_text)
        command.add_argument("arguments", nargs="*", help="what the command takes (see its help)")
        command.set_defaults(func=_package_command(name, run))

    serve = sub.add_parser("serve", help="serve the site with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=_serve)

    sub.add_parser("migrate", help="apply every committed migration").set_defaults(func=_migrate)

    make = sub.add_parser("makemigrations", help="write a migration for model changes (developers)")
    make.add_argument("--name", default=None)
    make.set_defaults(func=_makemigrations)

    invite = sub.add_parser("invite", help="create an invitation; prints the code alone on the last line")
    invite.add_argument("--role", default="member", choices=["member", "moderator", "policymaker", "admin"])
    invite.add_argument("--uses", type=int, default=1)
    invite.add_argument("--days", type=int, default=7)
    invite.set_defaults(func=_invite)

    rotate = sub.add_parser("rotate-data-key", help="re-encrypt every sensitive field under the current data key")
    rotate.add_argument("--generate", action="store_true", help="development: make a new key in ./var first")
    rotate.set_defaults(func=_rotate)

    sub.add_parser("purge", help="delete expired messages and other data past its time").set_defaults(func=_purge)

    demo = sub.add_parser("demo", help="seed a small demo network")
    demo.add_argument("--if-empty", action="store_true", help="only when no member exists yet")
    demo.set_defaults(func=_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"survnet: {exc}", file=sys.stderr)
        return 2
    from network.core import crypto

    args = sys.argv[1:] if argv is None else argv
    # The packages' own commands need every package loaded; the built-in ones start faster without.
    commands = {}
    if not args or args[0] not in BUILT_IN:
        from network.app import build_registry

        commands = build_registry(settings).commands
    args = build_parser(commands).parse_args(args)

    crypto.configure(settings.data_key, settings.previous_data_keys)
    return args.func(args, settings) or 0


if __name__ == "__main__":
    sys.exit(main())
