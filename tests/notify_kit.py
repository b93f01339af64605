"""Real parts on loopback for the notification tests: an SMTP server (aiosmtpd) that keeps
what it receives, and a stand-in Web Push service that decrypts each push (RFC 8291)
with the browser's private key, as a browser would."""

from __future__ import annotations

import base64
import json
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Mailbox:
    """What the SMTP server received, as parsed messages."""

    port: int
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    box = Mailbox(port=free_port())
    controller = Controller(box, hostname=HOST, port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@dataclass
class Device:
    """A browser's push subscription: its keys, as the browser keeps them."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64(point)

    def subscription(self) -> dict[str, Any]:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": b64(self.auth)}}


@dataclass
class Push:
    device: str
    headers: dict[str, str]
    text: str

    @property
    def payload(self) -> dict[str, Any]:
        return dict(json.loads(self.text))


class PushService:
    """A push service on loopback: accepts pushes for its devices and decrypts them."""

    def __init__(self) -> None:
        self.devices: dict[str, Device] = {}
        self.received: list[Push] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                device = service.devices.get(self.path)
                if device is None:
                    self.send_response(410)
                    self.end_headers()
                    return
                text = http_ece.decrypt(
                    body,
                    private_key=device.private_key,
                    auth_secret=device.auth,
                    version=self.headers.get("Content-Encoding", "aes128gcm"),
                ).decode()
                service.received.append(
                    Push(self.path, {k.lower(): v for k, v in self.headers.items()}, text)
                )
                self.send_response(201)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer((HOST, 0), Handler)
        self.base = f"http://{HOST}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def device(self, name: str) -> Device:
        path = f"/push/{name}-{b64(os.urandom(6))}"
        made = Device(self.base + path, ec.generate_private_key(ec.SECP256R1()), os.urandom(16))
        self.devices[path] = made
        return made

    def to(self, device: Device) -> list[Push]:
        return [p for p in self.received if self.base + p.device == device.endpoint]


@contextmanager
def push_service() -> Iterator[PushService]:
    service = PushService()
    service.thread.start()
    try:
        yield service
    finally:
        service.server.shutdown()
        service.server.server_close()


def vapid_keys() -> tuple[str, str]:
    """A fresh VAPID key pair: the private key's raw value and the public point, base64url."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64(private), b64(public)
