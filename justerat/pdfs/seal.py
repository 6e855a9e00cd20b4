"""The e-sigill: an advanced electronic seal on every published PDF, and its verification.

Optional, configured in site.yaml under ``seal``: the key in a PKCS#12 file (never inside the
content folder) or on a PKCS#11 token (``Token``: a smart card or HSM, where the key stays), its
password or PIN from an environment variable (never from a file), an optional RFC 3161
timestamp service and the root certificate the seal must chain to. Sealing is pyHanko's
PAdES baseline signature: B-B, or B-T when a timestamp service is configured. The seal is an
incremental update, so the PDF/A-2 document underneath stays as it was printed. A sealed PDF
holds the time it was sealed (and the timestamp): unlike unsealed PDFs it is not the same
bytes from one build to the next; the cache keeps it until the PDF or the certificate
changes.

Every failure is a ``SealError`` with a Swedish message: a missing or wrong password or PIN, a
key that does not match its certificate, a certificate not valid on the day, a token that is
not there or lacks the key, an unreachable timestamp service (with a time limit).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.processes import beside_any_loop
from ..core.swedish import counted
from ..domain.settings import SealSettings, Token

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer, SimpleSigner

FIELD = "Sigill"
RENEW = timedelta(days=30)  # a certificate running out sooner is a warning in every build


class SealError(Exception):
    """Sealing cannot be done; the message says why, in Swedish."""


@dataclass(frozen=True)
class Sealer:
    """A loaded seal: the signer, the key of the certificate for the cache, and when the
    certificate runs out."""

    signer: Signer
    settings: SealSettings
    fingerprint: str
    close: Callable[[], None] = lambda: None  # ends the session with a token
    expires: datetime | None = None

    def __enter__(self) -> Sealer:
        return self

    def expiring(self, now: datetime) -> str | None:
        """A reminder when the certificate runs out within ``RENEW``: after that day the
        build stops (``_valid``), so the office renews it before."""
        if self.expires is None or self.expires - now > RENEW:
            return None
        left = counted(max(0, (self.expires - now).days), "dag", "dagar")
        return (
            f"sigillets certifikat går ut {self.expires:%Y-%m-%d}, om {left}; förnya det i tid: "
            "från den dagen stoppas varje bygge med PDF:er"
        )

    def __exit__(self, *exc: object) -> None:
        self.close()

    def seal(self, pdf: bytes) -> bytes:
        """The PDF with the seal added as an incremental update."""
        _pyhanko()
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        meta = signers.PdfSignatureMetadata(
            field_name=FIELD,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason="E-sigill",
        )
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        signer = signers.PdfSigner(meta, signer=self.signer, timestamper=self._timestamper())
        try:
            out = beside_any_loop(lambda: signer.sign_pdf(writer))
        except Exception as exc:  # pyHanko wraps the timestamp service's errors in its own
            url = self.settings.timestamp_url
            if url:
                raise SealError(
                    f"tidsstämpeltjänsten {url} svarade inte rätt inom "
                    f"{self.settings.timeout:g} sekunder: {exc}"
                ) from None
            raise SealError(f"PDF:en kunde inte förseglas: {exc}") from None
        data: bytes = out.getvalue()
        return data

    def _timestamper(self) -> Any:
        url = self.settings.timestamp_url
        if not url:
            return None
        from pyhanko.sign.timestamps import HTTPTimeStamper

        return HTTPTimeStamper(url, timeout=int(max(1, self.settings.timeout)))


@cache
def _pyhanko() -> None:
    """Load pyHanko once, without the deprecation warnings of ``cryptography`` that loading it
    raises (DSA, on newer releases of ``cryptography``): they are for pyHanko's authors, and
    would reach the office's terminal in English. Only that library's warning is hidden."""
    from cryptography.utils import CryptographyDeprecationWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        import pyhanko.sign.signers
        import pyhanko.sign.validation  # noqa: F401


def load(settings: SealSettings, content: Path, now: datetime | None = None) -> Sealer:
    """The seal the settings describe, checked: the key file outside the content, the password
    or PIN, the key against its certificate, the certificate valid ``now``."""
    _pyhanko()
    password = os.environ.get(settings.password_env)
    if password is None:
        what = "PIN-koden" if settings.pkcs11 else "lösenordet"
        raise SealError(f"{what} till sigillet saknas: sätt miljövariabeln {settings.password_env}")
    if settings.pkcs11 is not None:
        return _from_token(settings, settings.pkcs11, password, now or datetime.now(UTC))
    assert settings.pkcs12 is not None  # the schema asks for one of the two
    return _from_file(settings, settings.pkcs12, content, password, now or datetime.now(UTC))


def _from_file(
    settings: SealSettings, file: Path, content: Path, password: str, now: datetime
) -> Sealer:
    from cryptography.hazmat.primitives.serialization import pkcs12

    if file.is_relative_to(content.resolve()):
        raise SealError(
            f"sigillets nyckelfil {file} ligger i innehållsmappen; flytta den "
            "därifrån: nyckeln får aldrig publiceras"
        )
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise SealError(f"sigillets nyckelfil {file} kan inte läsas: {exc.strerror}") from None
    try:
        key, cert, others = pkcs12.load_key_and_certificates(data, password.encode("utf-8"))
    except ValueError:
        raise SealError(
            f"lösenordet i {settings.password_env} öppnar inte {file.name} (fel "
            "lösenord, eller en skadad fil)"
        ) from None
    if cert is None:  # the seal's certificate among the others: the one that is no CA
        cert = next((c for c in others or () if not _is_ca(c)), None)
    if key is None or cert is None:
        raise SealError(f"{file.name} saknar nyckel eller certifikat")
    _matches(key, cert, file.name)
    _valid(cert, now)
    signer = _signer(key, cert, others or [])
    return Sealer(signer, settings, _fingerprint(cert), expires=cert.not_valid_after_utc)


def _from_token(settings: SealSettings, token: Token, pin: str, now: datetime) -> Sealer:
    """The seal whose key stays on a PKCS#11 token: the session is opened with the PIN and
    closed when sealing ends (``Sealer.close``); the key is tried with one signature against
    its certificate's public key before any PDF is sealed."""
    from cryptography import x509

    session = _session(settings, token, pin)
    try:
        found = _certificate_of(_token_signer(session, token), session, token)
        cert = x509.load_der_x509_certificate(found.dump())
        _valid(cert, now)
        signer = _token_signer(session, token, found, _digest_outside(session, cert))
        _signs_for(signer, cert, token)
    except BaseException:
        session.close()
        raise
    return Sealer(signer, settings, _fingerprint(cert), session.close, cert.not_valid_after_utc)


def _session(settings: SealSettings, token: Token, pin: str) -> Any:
    """A session with the token, logged in with the PIN."""
    try:
        import pkcs11
        from pkcs11 import exceptions
    except ImportError:
        raise SealError(
            "stöd för PKCS#11 saknas: installera det med .venv/bin/pip install -e "
            "'.[token]' (se README: e-sigillet)"
        ) from None
    if not token.module.is_file():
        raise SealError(f"PKCS#11-modulen {token.module} finns inte; ange rätt sökväg i module")
    try:
        library = pkcs11.lib(str(token.module))
        present = (slot.get_token().label for slot in library.get_slots(token_present=True))
        labels = sorted(label for label in present if label)  # "": a token not set up
        if token.label not in labels:
            raise SealError(
                f"ingen token med etiketten '{token.label}' i {token.module}; de som finns: "
                + (", ".join(f"'{label}'" for label in labels) or "inga (sitter kortet i?)")
            )
        return library.get_token(token_label=token.label).open(user_pin=pin)
    except (exceptions.PinIncorrect, exceptions.PinInvalid, exceptions.PinLenRange):
        raise SealError(
            f"PIN-koden i {settings.password_env} öppnar inte token '{token.label}'"
        ) from None
    except exceptions.PinLocked:
        raise SealError(
            f"token '{token.label}' är låst efter för många fel PIN-koder; lås upp den med "
            "tokenens egna verktyg"
        ) from None
    except exceptions.PKCS11Error as exc:  # the module's own errors
        raise SealError(
            f"token '{token.label}' kunde inte öppnas med {token.module}: {_reason(exc)}"
        ) from None


def _token_signer(session: Any, token: Token, cert: Any = None, raw: bool = False) -> Signer:
    """pyHanko's signer for the key on the token (with its certificate ``cert`` once found);
    ``raw``: the digest is made outside the token (``_digest_outside``)."""
    from pyhanko.sign.pkcs11 import PKCS11Signer

    # every certificate on the token goes with the seal: the chain up to the root
    return PKCS11Signer(
        session,
        key_label=token.key,
        cert_label=token.certificate or token.key,
        signing_cert=cert,
        other_certs_to_pull=None,
        use_raw_mechanism=raw,
    )


def _digest_outside(session: Any, cert: Any) -> bool:
    """Whether the token signs the key's kind only over a digest made outside it: it has the
    plain mechanism (CKM_ECDSA, CKM_RSA_PKCS) but not the one that digests with SHA-256 too
    (SoftHSM and many smart cards sign ECDSA so)."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from pkcs11 import Mechanism

    mechanisms = session.token.slot.get_mechanisms()
    if isinstance(cert.public_key(), ec.EllipticCurvePublicKey):
        plain, digesting = Mechanism.ECDSA, Mechanism.ECDSA_SHA256
    else:
        plain, digesting = Mechanism.RSA_PKCS, Mechanism.SHA256_RSA_PKCS
    return plain in mechanisms and digesting not in mechanisms


def _certificate_of(signer: Signer, session: Any, token: Token) -> Any:
    """The seal's certificate on the token (asn1crypto's)."""
    try:
        found = signer.signing_cert
    except Exception:  # pyHanko's: no such key or certificate on the token
        found = None
    if found is None:
        raise SealError(
            f"token '{token.label}' har ingen nyckel '{token.key}' med certifikat "
            f"'{token.certificate or token.key}'; på den finns {_objects(session)}"
        )
    return found


def _objects(session: Any) -> str:
    """What a token holds, by label: 'nycklar 'a'; certifikat 'a', 'rot''."""
    from pkcs11 import Attribute, ObjectClass

    found = []
    for kind, name in (
        (ObjectClass.PRIVATE_KEY, "nycklar"),
        (ObjectClass.CERTIFICATE, "certifikat"),
    ):
        labels = sorted(o[Attribute.LABEL] for o in session.get_objects({Attribute.CLASS: kind}))
        found.append(f"{name} " + (", ".join(f"'{label}'" for label in labels) or "inga"))
    return "; ".join(found)


def _signs_for(signer: Signer, cert: Any, token: Token) -> None:
    """One signature by the token's key, checked with the certificate's public key: a key that
    is not the certificate's would make every seal broken."""
    import asyncio

    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    probe = b"Justerat: prov av sigillets nyckel"
    try:
        signed = beside_any_loop(lambda: asyncio.run(signer.async_sign_raw(probe, "sha256")))
        public = cert.public_key()
        if isinstance(public, rsa.RSAPublicKey):
            public.verify(signed, probe, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signed, probe, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise SealError(
            f"nyckeln '{token.key}' på token '{token.label}' hör inte till certifikatet"
        ) from None
    except SealError:
        raise
    except Exception as exc:
        raise SealError(
            f"nyckeln '{token.key}' på token '{token.label}' kunde inte signera: {_reason(exc)}"
        ) from None


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _is_ca(cert: Any) -> bool:
    from cryptography import x509

    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def _matches(key: Any, cert: Any, name: str) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    public = key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    theirs = cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    if public != theirs:
        raise SealError(f"nyckeln i {name} hör inte till certifikatet i samma fil")


def _valid(cert: Any, now: datetime) -> None:
    start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    who = cert.subject.rfc4514_string()
    if now < start:
        raise SealError(f"sigillets certifikat ({who}) gäller först från {start:%Y-%m-%d}")
    if now > end:
        raise SealError(f"sigillets certifikat ({who}) gick ut {end:%Y-%m-%d}; förnya det")


def _fingerprint(cert: Any) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding

    return hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest()


def _signer(key: Any, cert: Any, others: list[Any]) -> SimpleSigner:
    from asn1crypto import keys, x509  # type: ignore[import-untyped]
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    der_key = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    store = SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
        [x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in others]
    )
    return SimpleSigner(
        signing_cert=x509.Certificate.load(cert.public_bytes(Encoding.DER)),
        signing_key=keys.PrivateKeyInfo.load(der_key),
        cert_registry=store,
    )


def _who(subject: dict[str, str]) -> str:
    """'Testkommunens e-sigill (Testkommunen)': the certificate's name and organisation."""
    name = subject.get("common_name", "")
    organisation = subject.get("organization_name")
    return f"{name} ({organisation})" if organisation and organisation != name else name


@dataclass(frozen=True)
class Verdict:
    """What ``verify`` says of one PDF."""

    sealed: bool
    intact: bool = False
    trusted: bool = False
    covers_whole_file: bool = False
    sealed_by: str = ""
    sealed_at: datetime | None = None
    timestamped: bool = False
    rooted: bool = True  # a root was given to check the certificate against
    issuer: str = ""  # the certificate's issuer, its serial number (hex) and SHA-256
    serial: str = ""
    fingerprint: str = ""

    @property
    def ok(self) -> bool:
        return self.sealed and self.intact and self.trusted and self.covers_whole_file

    def swedish(self) -> str:
        if not self.sealed:
            return "inte förseglad: PDF:en har inget sigill"
        if not self.intact:
            return "SIGILLET ÄR BRUTET: innehållet har ändrats efter förseglingen"
        if not self.covers_whole_file:
            return "ÄNDRAD EFTER FÖRSEGLINGEN: något har lagts till i filen efter sigillet"
        when = f"{self.sealed_at:%Y-%m-%d %H:%M} UTC" if self.sealed_at else "okänd tid"
        stamp = " med tidsstämpel" if self.timestamped else ""
        if not self.rooted:
            return (
                f"sigillet är helt, av {self.sealed_by}, förseglad {when}{stamp}; men ingen "
                "betrodd rot är angiven, så certifikatet är inte prövat: ange --root (eller "
                "trust_root under seal: i site.yaml)"
            )
        if not self.trusted:
            return (
                f"sigillet är helt men certifikatet ({self.sealed_by}) leder inte till den "
                f"betrodda roten; förseglad {when}{stamp}"
            )
        return f"giltigt sigill av {self.sealed_by}, förseglad {when}{stamp}"


def verify(pdf: bytes, trust_root: bytes | None) -> Verdict:
    """Whether the PDF's seal is intact, covers the whole file and chains to ``trust_root``
    (a certificate, PEM or DER)."""
    _pyhanko()
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:
        return Verdict(sealed=False)
    if not signatures:
        return Verdict(sealed=False)
    roots = list(load_certs_from_pemder_data(trust_root)) if trust_root else []
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    with _quiet("pyhanko"):  # an untrusted path is the verdict's to say, not a traceback's
        status = beside_any_loop(lambda: validate_pdf_signature(signatures[-1], context))
    sealed_at = status.timestamp_validity.timestamp if status.timestamp_validity else None
    return Verdict(
        sealed=True,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        sealed_by=_who(status.signing_cert.subject.native),
        issuer=_who(status.signing_cert.issuer.native),
        serial=format(status.signing_cert.serial_number, "x"),
        fingerprint=status.signing_cert.sha256.hex(),
        sealed_at=sealed_at or status.signer_reported_dt,
        timestamped=status.timestamp_validity is not None,
        rooted=bool(roots),
    )


class _Quiet(logging.Filter):
    """Drops a library's records below ERROR logged for work inside ``_quiet`` (by its
    context, which ``beside_any_loop`` carries into its thread), and nothing else."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR or not _QUIETED.get()


_QUIETED: ContextVar[bool] = ContextVar("quieted", default=False)
_FILTER = _Quiet()
_USERS = [0]  # blocks inside _quiet now, in any thread: the filter stays while one is
_LOCK = threading.Lock()


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """The logger ``name`` and those below it say nothing but errors for the work of this
    block: the same loggers used by another thread meanwhile (the preview server's) are not
    silenced, and the filter is taken away when the last such block ends."""
    prefix = f"{name}."
    with _LOCK:
        loggers = [
            logging.getLogger(each)
            for each in sorted(logging.root.manager.loggerDict)
            if each == name or each.startswith(prefix)
        ]
        for logger in loggers:
            logger.addFilter(_FILTER)
        _USERS[0] += 1
    token = _QUIETED.set(True)
    try:
        yield
    finally:
        _QUIETED.reset(token)
        with _LOCK:
            _USERS[0] -= 1
            if not _USERS[0]:
                for logger in loggers:
                    logger.removeFilter(_FILTER)


def check_trusted(sealed: bytes, settings: SealSettings) -> None:
    """A sealed PDF that ``verify`` accepts with the configured root (``trust_root``): a seal
    whose certificate does not chain to it would be published only to fail every check."""
    root = settings.trust_root
    if root is None:
        return
    try:
        trusted = root.read_bytes()
    except OSError as exc:
        raise SealError(f"rotcertifikatet {root} kan inte läsas: {exc.strerror}") from None
    verdict = verify(sealed, trusted)
    if not verdict.ok:
        raise SealError(
            f"en förseglad PDF klarar inte kontrollen mot trust_root ({root.name}): "
            f"{verdict.swedish()}; ange rätt rotcertifikat, eller ett sigill från den roten"
        )
