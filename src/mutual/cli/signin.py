"""``mutual sign-in``: get an API token the way the browser signs in (docs/e2e.md), as an
independent client of a Mutual server. The password is stretched here; only the sign-in
secret travels. The private key is unwrapped here and, with ``--keys-file``, kept in a file
only its owner can read."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import urllib.error
import urllib.request
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser("sign-in", help="get an API token without sending the password")
    parser.add_argument("--server", required=True, help="the Mutual server, https://…")
    parser.add_argument("--email", required=True)
    parser.add_argument("--totp", help="the current code, for two-step sign-in")
    parser.add_argument("--label", default="mutual command")
    parser.add_argument("--keys-file", help="where to keep the unwrapped private key (0600)")
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    parser.set_defaults(func=run)


def _sender(server: str) -> Any:
    token: dict[str, str] = {}

    def send(method: str, path: str, body: dict[str, Any] | None) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(  # noqa: S310 - the person names the server
            server.rstrip("/") + "/api/v1" + path,
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={"Content-Type": "application/json", **token},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                status, data = answer.status, json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as error:
            status, data = error.code, json.loads(error.read() or b"{}")
        if path == "/auth/tokens" and status == 201:
            token["Authorization"] = f"Bearer {data['token']}"
        return status, data

    return send


def run(args: argparse.Namespace) -> int:
    from mutual.e2e import scheme
    from mutual.e2e.client import SignInRefused, sign_in

    password = (
        sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
    )
    try:
        signed = sign_in(
            _sender(args.server),
            email=args.email,
            password=password,
            totp=args.totp,
            label=args.label,
        )
    except (SignInRefused, OSError) as exc:
        print(f"mutual: {exc}", file=sys.stderr)
        return 1
    if args.keys_file and signed.identity is not None:
        descriptor = os.open(args.keys_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as out:
            json.dump({"private": scheme.b64(signed.identity.private)}, out)
    print(signed.token)
    return 0
