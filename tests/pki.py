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
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSWORD = "rätt-lösenord"


def _key(kind: str = "rsa") -> Any:
    """An RSA key (2048 bits), or an ECDSA key on P-256 (``kind`` "ec")."""
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1())
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
    key: Any,  # the subject's: RSA or ECDSA
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

    def seal_certificate(
        self, valid: str = "now", kind: str = "rsa"
    ) -> tuple[Any, x509.Certificate]:
        """A key (``kind``: rsa or ec) and its seal certificate from the root: ``valid`` is
        now, expired, future or soon (valid now, for ten more days)."""
        now = datetime.now(UTC)
        start, end = {
            "now": (now - timedelta(days=1), now + timedelta(days=365)),
            "expired": (now - timedelta(days=400), now - timedelta(days=35)),
            "future": (now + timedelta(days=30), now + timedelta(days=400)),
            "soon": (now - timedelta(days=355), now + timedelta(days=10)),  # to be renewed
        }[valid]
        key = _key(kind)
        return key, _certificate(
            "Testkommunens e-sigill", key, (self.root, self.root_key), start, end
        )

    def seal_file(self, name: str, valid: str = "now", own_key: bool = True) -> Path:
        """A PKCS#12 file with a seal certificate from the root (``seal_certificate``);
        ``own_key`` False puts another key beside the certificate."""
        key, cert = self.seal_certificate(valid)
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


# --- PKCS#11 tokens: SoftHSM (Debian's softhsm2), a real PKCS#11 module ----------------------

PIN = "4711"
SOFTHSM_MODULES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
)


def softhsm_module() -> Path | None:
    return next((Path(p) for p in SOFTHSM_MODULES if Path(p).is_file()), None)


def softhsm_tokens(folder: Path, pki: Pki, tokens: dict[str, tuple[str, bool, str]]) -> Path:
    """SoftHSM tokens in ``folder``, by label: each holds a key labelled "sigill" and the seal
    certificate for it (``valid``, the certificate's own key or not, and the key's kind: rsa or
    ec), and the root. Made
    with softhsm2-util (the token) and python-pkcs11 (its objects), all before the module is
    first loaded in this process, since SoftHSM reads its configuration once. Returns the
    configuration file, for ``SOFTHSM2_CONF``."""
    import os
    import subprocess

    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass
    from pkcs11.util.ec import decode_ec_private_key
    from pkcs11.util.rsa import decode_rsa_private_key

    (folder / "tokens").mkdir(parents=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n"
        "log.level = ERROR\n",
        "utf-8",
    )
    os.environ["SOFTHSM2_CONF"] = str(conf)
    for label in tokens:
        subprocess.run(
            ["softhsm2-util", "--init-token", "--free", "--label", label]
            + ["--pin", PIN, "--so-pin", "1234567"],
            check=True,
            capture_output=True,
        )
    library = pkcs11.lib(str(softhsm_module()))
    der = serialization.Encoding.DER
    for label, (valid, own_key, kind) in tokens.items():
        key, cert = pki.seal_certificate(valid, kind)
        stored = key if own_key else _key(kind)
        decode = decode_ec_private_key if kind == "ec" else decode_rsa_private_key
        with library.get_token(token_label=label).open(rw=True, user_pin=PIN) as session:
            private = decode(
                stored.private_bytes(
                    der,
                    serialization.PrivateFormat.TraditionalOpenSSL,
                    serialization.NoEncryption(),
                )
            )
            private.update(
                {
                    Attribute.LABEL: "sigill",
                    Attribute.ID: b"\x01",
                    Attribute.TOKEN: True,
                    Attribute.SIGN: True,
                    Attribute.PRIVATE: True,
                    Attribute.SENSITIVE: True,
                }
            )
            session.create_object(private)
            for name, each in (("sigill", cert), ("rot", pki.root)):
                session.create_object(
                    {
                        Attribute.CLASS: ObjectClass.CERTIFICATE,
                        Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                        Attribute.TOKEN: True,
                        Attribute.LABEL: name,
                        Attribute.ID: b"\x01" if name == "sigill" else b"\x02",
                        Attribute.VALUE: each.public_bytes(der),
                        Attribute.SUBJECT: each.subject.public_bytes(),
                    }
                )
    return conf
