"""A test PKI made in the tests (with the cryptography package): a root, a seal certificate
issued by it (valid, expired, not yet valid, or with a key that is not its own), a timestamp
authority's certificate, and a timestamp service on 127.0.0.1 answering RFC 3161 requests
with pyHanko's test stamper."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSWORD = "rätt-lösenord"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Testkommunen"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _certificate(
    subject: str,
    key: rsa.RSAPrivateKey,
    issuer: tuple[x509.Certificate, rsa.RSAPrivateKey] | None,
    start: datetime,
    end: datetime,
    ca: bool = False,
    usage: list[x509.ObjectIdentifier] | None = None,
) -> x509.Certificate:
    signer_cert, signer_key = issuer if issuer else (None, key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(signer_cert.subject if signer_cert else _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(usage), critical=True)
    return builder.sign(signer_key, hashes.SHA256())


@dataclass
class Pki:
    folder: Path
    root: x509.Certificate
    root_key: rsa.RSAPrivateKey
    tsa: x509.Certificate
    tsa_key: rsa.RSAPrivateKey

    @property
    def root_pem(self) -> Path:
        path = self.folder / "rot.pem"
        path.write_bytes(self.root.public_bytes(serialization.Encoding.PEM))
        return path

    def seal_file(self, name: str, valid: str = "now", own_key: bool = True) -> Path:
        """A PKCS#12 file with a seal certificate from the root: ``valid`` is now, expired
        or future; ``own_key`` False puts another key beside the certificate."""
        now = datetime.now(UTC)
        start, end = {
            "now": (now - timedelta(days=1), now + timedelta(days=365)),
            "expired": (now - timedelta(days=400), now - timedelta(days=35)),
            "future": (now + timedelta(days=30), now + timedelta(days=400)),
        }[valid]
        key = _key()
        cert = _certificate("Testkommunens e-sigill", key, (self.root, self.root_key), start, end)
        # a key that is not the certificate's can only be stored with the certificate among
        # the others (the cryptography package refuses to pair them)
        data = pkcs12.serialize_key_and_certificates(
            b"sigill",
            key if own_key else _key(),
            cert if own_key else None,
            [self.root] if own_key else [cert, self.root],
            serialization.BestAvailableEncryption(PASSWORD.encode("utf-8")),
        )
        path = self.folder / name
        path.write_bytes(data)
        return path


def make_pki(folder: Path) -> Pki:
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    root_key = _key()
    root = _certificate(
        "Testkommunens rot",
        root_key,
        None,
        now - timedelta(days=2),
        now + timedelta(days=3650),
        ca=True,
    )
    tsa_key = _key()
    tsa = _certificate(
        "Testkommunens tidsstämpel",
        tsa_key,
        (root, root_key),
        now - timedelta(days=1),
        now + timedelta(days=365),
        usage=[ExtendedKeyUsageOID.TIME_STAMPING],
    )
    return Pki(folder, root, root_key, tsa, tsa_key)


@contextmanager
def timestamp_service(pki: Pki) -> Iterator[str]:
    """An RFC 3161 timestamp service on 127.0.0.1, for as long as the block runs."""
    from asn1crypto import keys, tsp
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(pki.tsa.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(
            pki.tsa_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        certs_to_embed=None,
    )

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
