"""The e-sigill with a test PKI made here and a timestamp service on 127.0.0.1: a sealed PDF
validates with pyHanko's validator and stays PDF/A; a PDF changed after sealing fails; every
bad input gets its message."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from conftest import run_build_py, tree_snapshot
from pki import PASSWORD, PIN, Pki, make_pki, softhsm_module, softhsm_tokens, timestamp_service

from justerat.pdfs import seal
from justerat.pdfs.pdf import sealed_files

CONTENT = Path(__file__).resolve().parent.parent / "content"
ENV = "JUSTERAT_TEST_SIGILL"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def password() -> Iterator[None]:
    os.environ[ENV] = PASSWORD
    yield
    os.environ.pop(ENV, None)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    """A PDF/A-2 page as Justerat prints it."""
    from justerat.pdfs.pdf import render_pdf

    html = "<!DOCTYPE html><html lang='sv'><head><title>Protokoll</title></head><body><h1>Protokoll</h1><p>§ 1 Val av justerare</p></body></html>"
    data, problem = render_pdf(html, CONTENT.resolve().as_uri() + "/", [str(CONTENT.resolve())])
    assert data is not None, problem
    return data


def settings(pki: Pki, file: Path, url: str | None = None) -> seal.SealSettings:
    return seal.SealSettings(file, ENV, url, pki.root_pem, timeout=3)


def test_a_sealed_pdf_validates_and_stays_pdf_a(pki: Pki, pdf: bytes, password: None) -> None:
    import pikepdf
    from pyhanko.keys import load_certs_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    file = pki.seal_file("sigill.p12")
    with timestamp_service(pki) as url:
        sealed = seal.load(settings(pki, file, url), CONTENT).seal(pdf)
    assert sealed.startswith(pdf)  # an incremental update: the printed PDF is untouched
    # pyHanko's own validator, independently of justerat.pdfs.seal.verify
    from io import BytesIO

    signature = PdfFileReader(BytesIO(sealed)).embedded_signatures[0]
    context = ValidationContext(trust_roots=list(load_certs_from_pemder([str(pki.root_pem)])))
    # in a thread: pyHanko runs its own event loop, and a browser test may have left one here
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as thread:
        status = thread.submit(validate_pdf_signature, signature, context).result()
    assert status.intact and status.valid and status.trusted
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    assert status.signing_cert.subject.native["common_name"] == "Testkommunens e-sigill"
    verdict = seal.verify(sealed, pki.root_pem.read_bytes())
    assert verdict.ok and verdict.timestamped
    assert verdict.swedish().startswith(
        "giltigt sigill av Testkommunens e-sigill (Testkommunen), förseglad "
    )
    with pikepdf.open(BytesIO(sealed)) as document:  # still the PDF/A-2 the printer made
        meta = document.open_metadata()
        assert meta.pdfa_status in {"2A", "2B", "2U"}, meta.pdfa_status


def test_a_certificate_running_out_within_a_month_is_a_reminder(pki: Pki, password: None) -> None:
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    with seal.load(settings(pki, pki.seal_file("snart.p12", "soon")), CONTENT) as sealer:
        assert sealer.expires is not None
        assert timedelta(days=9) < sealer.expires - now <= timedelta(days=10)
        said = sealer.expiring(now)
        assert said == (
            f"sigillets certifikat går ut {sealer.expires:%Y-%m-%d}, om 9 dagar; förnya det i "
            "tid: från den dagen stoppas varje bygge med PDF:er"
        )
        assert sealer.expiring(sealer.expires - timedelta(days=31)) is None
    with seal.load(settings(pki, pki.seal_file("langt.p12")), CONTENT) as sealer:
        assert sealer.expiring(now) is None  # a year left


def test_without_a_timestamp_service_the_seal_is_b_b(pki: Pki, pdf: bytes, password: None) -> None:
    sealed = seal.load(settings(pki, pki.seal_file("bb.p12")), CONTENT).seal(pdf)
    verdict = seal.verify(sealed, pki.root_pem.read_bytes())
    assert verdict.ok and not verdict.timestamped


def test_a_pdf_changed_after_sealing_fails(pki: Pki, pdf: bytes, password: None) -> None:
    sealed = seal.load(settings(pki, pki.seal_file("andrad.p12")), CONTENT).seal(pdf)
    appended = sealed + b"\n1 0 obj\n(tillagt)\nendobj\n"
    assert (
        seal.verify(appended, pki.root_pem.read_bytes())
        .swedish()
        .startswith("ÄNDRAD EFTER FÖRSEGLINGEN")
    )
    at = sealed.index(b"Val av justerare") if b"Val av justerare" in sealed else None
    flipped = bytearray(sealed)
    position = at if at is not None else len(pdf) // 2
    flipped[position] ^= 0x01
    verdict = seal.verify(bytes(flipped), pki.root_pem.read_bytes())
    assert not verdict.ok
    assert seal.verify(pdf, pki.root_pem.read_bytes()).swedish() == (
        "inte förseglad: PDF:en har inget sigill"
    )


def test_a_seal_from_another_root_is_not_trusted(
    tmp_path: Path, pki: Pki, pdf: bytes, password: None
) -> None:
    other = make_pki(tmp_path / "annan")
    sealed = seal.load(settings(pki, pki.seal_file("rot.p12")), CONTENT).seal(pdf)
    verdict = seal.verify(sealed, other.root_pem.read_bytes())
    assert verdict.intact and not verdict.trusted and not verdict.ok
    assert "leder inte till den betrodda roten" in verdict.swedish()


def _refused(config: seal.SealSettings, content: Path = CONTENT) -> str:
    with pytest.raises(seal.SealError) as caught:
        seal.load(config, content)
    return str(caught.value)


def test_bad_seals_are_refused_with_their_reason(pki: Pki, password: None, tmp_path: Path) -> None:
    assert _refused(settings(pki, pki.seal_file("utgangen.p12", "expired"))).startswith(
        "sigillets certifikat (CN=Testkommunens e-sigill,O=Testkommunen,C=SE) gick ut "
    )
    assert "gäller först från" in _refused(settings(pki, pki.seal_file("framtid.p12", "future")))
    assert _refused(settings(pki, pki.seal_file("fel-nyckel.p12", own_key=False))) == (
        "nyckeln i fel-nyckel.p12 hör inte till certifikatet i samma fil"
    )
    os.environ[ENV] = "fel-lösenord"
    assert _refused(settings(pki, pki.seal_file("losen.p12"))).startswith(
        f"lösenordet i {ENV} öppnar inte losen.p12"
    )
    del os.environ[ENV]
    assert _refused(settings(pki, pki.seal_file("utan.p12"))) == (
        f"lösenordet till sigillet saknas: sätt miljövariabeln {ENV}"
    )
    os.environ[ENV] = PASSWORD
    inside = tmp_path / "innehall"
    inside.mkdir()
    file = pki.seal_file("inne.p12")
    assert "ligger i innehållsmappen" in _refused(settings(pki, file), pki.folder)


def test_a_seal_that_does_not_chain_to_the_configured_root_is_refused(
    tmp_path: Path, pki: Pki, pdf: bytes, password: None
) -> None:
    from justerat.core.cache import Cache
    from justerat.pdfs.pdf import Printed

    other = make_pki(tmp_path / "annan")
    config = replace(settings(pki, pki.seal_file("annan-rot.p12")), trust_root=other.root_pem)
    printed = {"protokoll/a.pdf": Printed("a", len(pdf), None, pdf)}
    with pytest.raises(seal.SealError) as caught, seal.load(config, CONTENT) as sealer:
        sealed_files(printed, sealer, Cache(tmp_path / "cache", CONTENT, None))
    assert str(caught.value).startswith(
        "en förseglad PDF klarar inte kontrollen mot trust_root (rot.pem): sigillet är helt men "
        "certifikatet (Testkommunens e-sigill (Testkommunen)) leder inte till den betrodda roten"
    )
    assert not list((tmp_path / "cache").rglob("*.pdf"))  # nothing kept that fails the check
    with seal.load(settings(pki, pki.seal_file("ratt-rot.p12")), CONTENT) as sealer:
        sealed, made = sealed_files(printed, sealer, Cache(tmp_path / "c2", CONTENT, None))
    assert made == ["protokoll/a.pdf"]
    assert seal.verify(sealed["protokoll/a.pdf"].data(), pki.root_pem.read_bytes()).ok
    assert len(list((tmp_path / "c2").rglob("*.pdf"))) == 1  # kept, as the other was not


def test_verify_says_when_it_has_no_root_to_check_against(
    tmp_path: Path, pki: Pki, pdf: bytes, password: None
) -> None:
    file = tmp_path / "sigill.pdf"
    with seal.load(settings(pki, pki.seal_file("utan-rot.p12")), CONTENT) as sealer:
        file.write_bytes(sealer.seal(pdf))
    alone = _run("verify", "--content", str(tmp_path / "ingen"), str(file))
    assert alone.returncode == 1 and alone.stderr == ""  # a verdict, not a traceback
    assert alone.stdout.startswith(
        f"{file}: sigillet är helt, av Testkommunens e-sigill (Testkommunen), förseglad "
    )
    assert alone.stdout.rstrip().endswith(
        "men ingen betrodd rot är angiven, så certifikatet är inte prövat: ange --root (eller "
        "trust_root under seal: i site.yaml)"
    )
    broken = tmp_path / "content"
    broken.mkdir()
    (broken / "site.yaml").write_text(
        (CONTENT / "site.yaml").read_text("utf-8") + f"seal:\n  trust_root: {pki.root_pem}\n",
        "utf-8",
    )  # no pkcs12 or pkcs11: site.yaml cannot be read, and its root is not used
    noted = _run("verify", "--content", str(broken), str(file))
    first = noted.stdout.splitlines()[0]
    assert first.startswith(f"{broken}/site.yaml:")
    assert first.endswith("(trust_root därifrån används inte; ange --root)")
    other = make_pki(tmp_path / "annan")
    untrusted = _run("verify", "--root", str(other.root_pem), str(file))
    assert untrusted.returncode == 1 and untrusted.stderr == ""
    assert "leder inte till den betrodda roten" in untrusted.stdout


def test_an_unreachable_timestamp_service_stops_sealing_in_time(
    pki: Pki, pdf: bytes, password: None
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sealer = seal.load(
        settings(pki, pki.seal_file("tsa.p12"), f"http://127.0.0.1:{port}/"), CONTENT
    )
    with pytest.raises(seal.SealError) as caught:
        sealer.seal(pdf)
    assert str(caught.value).startswith(
        f"tidsstämpeltjänsten http://127.0.0.1:{port}/ svarade inte rätt inom 3 sekunder"
    )


# --- sealing in the build, and `verify` ------------------------------------------------------


def _sealed_site(content: Path, pki: Pki, key_file: Path) -> None:
    settings = content / "site.yaml"
    root = pki.root_pem
    settings.write_text(
        settings.read_text("utf-8")
        + f"seal:\n  pkcs12: {key_file}\n  password_env: {ENV}\n  trust_root: {root}\n",
        "utf-8",
    )


def _run(*args: str, password: str | None = PASSWORD) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != ENV}
    if password is not None:
        env[ENV] = password
    return run_build_py(*args, env=env)


def test_a_build_seals_every_pdf_and_verify_says_so(
    content: Path, pki: Pki, tmp_path: Path
) -> None:
    _sealed_site(content, pki, pki.seal_file("bygge.p12", "soon"))
    out = tmp_path / "site"
    built = _run(
        "build", "--content", str(content), "--out", str(out), "--cache", str(tmp_path / "c")
    )
    assert built.returncode == 0, built.stderr
    # the certificate runs out in ten days: every build that seals says so, and still seals
    assert re.search(
        r"site\.yaml: warning: e-sigillet: sigillets certifikat går ut \d{4}-\d\d-\d\d, om "
        r"(9|10) dagar; förnya det i tid: från den dagen stoppas varje bygge med PDF:er \[seal\]",
        built.stderr,
    ), built.stderr
    pdfs = sorted(out.rglob("*.pdf"))
    assert len(pdfs) > 10
    verified = _run("verify", "--root", str(pki.root_pem), *map(str, pdfs), str(out))
    assert verified.returncode == 0, verified.stdout
    lines = verified.stdout.splitlines()
    assert all(
        "giltigt sigill av Testkommunens e-sigill (Testkommunen)" in line
        for line in lines[: len(pdfs)]
    )
    # without --root, the root is the one site.yaml names (seal.trust_root)
    configured = _run("verify", "--content", str(content), str(pdfs[0]))
    assert configured.returncode == 0, configured.stdout
    assert "giltigt sigill av Testkommunens e-sigill" in configured.stdout
    missing = _run("verify", "--root", str(tmp_path / "saknas.pem"), str(pdfs[0]))
    assert missing.returncode == 1
    assert (
        missing.stdout
        == f"{tmp_path / 'saknas.pem'}: rotcertifikatet kan inte läsas: No such file or directory\n"
    )
    # a PDF changed after sealing: the seal says so, and so does the site's manifest
    changed = pdfs[0]
    changed.write_bytes(changed.read_bytes() + b"\n% tillagt\n")
    again = _run("verify", "--root", str(pki.root_pem), str(changed), str(out))
    assert again.returncode == 1
    assert "ÄNDRAD EFTER FÖRSEGLINGEN" in again.stdout
    assert f"  {changed.relative_to(out).as_posix()}: ändrad efter publiceringen" in again.stdout


def test_a_bad_seal_publishes_nothing(content: Path, pki: Pki, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = _run("build", "--content", str(content), "--out", str(out), "--no-pdf")
    assert first.returncode == 0, first.stderr
    before = tree_snapshot(out)
    _sealed_site(content, pki, pki.seal_file("trasig.p12", "expired"))
    messages = []
    for password in (PASSWORD, "fel", None):
        result = _run(
            "build",
            "--content",
            str(content),
            "--out",
            str(out),
            "--cache",
            str(tmp_path / "c"),
            password=password,
        )
        assert result.returncode == 1
        assert "site.yaml: error: e-sigillet: " in result.stderr.replace(f"{content}/", "")
        assert tree_snapshot(out) == before  # nothing published
        messages.append(result.stderr)
    assert "gick ut" in messages[0]
    assert "öppnar inte trasig.p12" in messages[1]
    assert f"sätt miljövariabeln {ENV}" in messages[2]


# --- the seal's key on a PKCS#11 token (SoftHSM) ---------------------------------------------

TOKENS = {
    "Testkommunens sigill": ("now", True, "rsa"),
    "Utgånget sigill": ("expired", True, "rsa"),
    "Fel nyckel": ("now", False, "rsa"),
    "ECDSA-sigill": ("now", True, "ec"),  # SoftHSM signs ECDSA only over a digest given it
    "Fel ECDSA-nyckel": ("now", False, "ec"),
}


@pytest.fixture(scope="module")
def tokens(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SoftHSM's module, with the tokens of ``TOKENS``."""
    module = softhsm_module()
    assert module is not None, "SoftHSM saknas: ./setup.sh --dev installerar softhsm2"
    softhsm_tokens(tmp_path_factory.mktemp("softhsm"), pki, TOKENS)
    return module


@pytest.fixture
def pin() -> Iterator[None]:
    os.environ[ENV] = PIN
    yield
    os.environ.pop(ENV, None)


def on_token(
    pki: Pki, module: Path, label: str, url: str | None = None, **more: str
) -> seal.SealSettings:
    token = seal.Token(module, label, more.get("key", "sigill"), more.get("certificate"))
    return seal.SealSettings(None, ENV, url, pki.root_pem, timeout=3, pkcs11=token)


@pytest.mark.parametrize("label", ["Testkommunens sigill", "ECDSA-sigill"])
def test_a_seal_from_a_token_validates(
    pki: Pki, tokens: Path, pdf: bytes, pin: None, label: str
) -> None:
    import pikepdf

    with (
        timestamp_service(pki) as url,
        seal.load(on_token(pki, tokens, label, url), CONTENT) as sealer,
    ):
        sealed = sealer.seal(pdf)
        again = sealer.seal(pdf)  # the session stays open for every PDF of the build
    assert sealed.startswith(pdf) and again.startswith(pdf)
    verdict = seal.verify(sealed, pki.root_pem.read_bytes())
    assert verdict.ok and verdict.timestamped, verdict
    assert verdict.swedish().startswith(
        "giltigt sigill av Testkommunens e-sigill (Testkommunen), förseglad "
    )
    with pikepdf.open(BytesIO(sealed)) as document:
        assert document.open_metadata().pdfa_status in {"2A", "2B", "2U"}


def test_bad_tokens_are_refused_with_their_reason(pki: Pki, tokens: Path, pin: None) -> None:
    assert _refused(on_token(pki, tokens, "Utgånget sigill")).startswith(
        "sigillets certifikat (CN=Testkommunens e-sigill,O=Testkommunen,C=SE) gick ut "
    )
    for label in ("Fel nyckel", "Fel ECDSA-nyckel"):
        assert _refused(on_token(pki, tokens, label)) == (
            f"nyckeln 'sigill' på token '{label}' hör inte till certifikatet"
        )
    assert _refused(on_token(pki, tokens, "Testkommunens sigill", key="okänd")) == (
        "token 'Testkommunens sigill' har ingen nyckel 'okänd' med certifikat 'okänd'; på den "
        "finns nycklar 'sigill'; certifikat 'rot', 'sigill'"
    )
    assert _refused(on_token(pki, tokens, "Ingen sådan")) == (
        f"ingen token med etiketten 'Ingen sådan' i {tokens}; de som finns: "
        + ", ".join(f"'{label}'" for label in sorted(TOKENS))
    )
    missing = Path("/usr/lib/finns-inte/libpkcs11.so")
    assert _refused(on_token(pki, missing, "Testkommunens sigill")) == (
        f"PKCS#11-modulen {missing} finns inte; ange rätt sökväg i module"
    )
    os.environ[ENV] = "0000"
    assert _refused(on_token(pki, tokens, "Testkommunens sigill")) == (
        f"PIN-koden i {ENV} öppnar inte token 'Testkommunens sigill'"
    )
    del os.environ[ENV]
    assert _refused(on_token(pki, tokens, "Testkommunens sigill")) == (
        f"PIN-koden till sigillet saknas: sätt miljövariabeln {ENV}"
    )


def test_without_python_pkcs11_a_token_gets_its_install_line(
    pki: Pki, tokens: Path, pin: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pkcs11", None)  # as if the token extra were missing
    assert _refused(on_token(pki, tokens, "Testkommunens sigill")) == (
        "stöd för PKCS#11 saknas: installera det med .venv/bin/pip install -e '.[token]' "
        "(se README: e-sigillet)"
    )


def test_a_build_seals_with_a_token(content: Path, pki: Pki, tokens: Path, tmp_path: Path) -> None:
    settings = content / "site.yaml"
    settings.write_text(
        settings.read_text("utf-8")
        + f"seal:\n  pkcs11:\n    module: {tokens}\n    token: Testkommunens sigill\n"
        f"    key: sigill\n  password_env: {ENV}\n  trust_root: {pki.root_pem}\n",
        "utf-8",
    )
    out = tmp_path / "site"
    args = ("build", "--content", str(content), "--out", str(out), "--cache", str(tmp_path / "c"))
    wrong = _run(*args, password="0000")
    assert wrong.returncode == 1 and not out.exists()
    assert "e-sigillet: PIN-koden i JUSTERAT_TEST_SIGILL öppnar inte token" in wrong.stderr
    built = _run(*args, password=PIN)
    assert built.returncode == 0, built.stderr
    pdfs = sorted(out.rglob("*.pdf"))
    verified = _run("verify", "--root", str(pki.root_pem), *map(str, pdfs))
    assert verified.returncode == 0, verified.stdout
    assert verified.stdout.count("giltigt sigill av Testkommunens e-sigill") == len(pdfs) > 10


def test_a_foreskrift_pdf_is_pdf_a_and_sealed(content: Path, pki: Pki, tmp_path: Path) -> None:
    """The författningssamling's PDFs are sealed like every other PDF, and are PDF/A-2a."""
    import pikepdf
    from pikepdf import pdfa

    _sealed_site(content, pki, pki.seal_file("forfattning.p12"))
    (content / "forfattningar").mkdir()
    (content / "forfattningar/2023-1.md").write_text(
        "---\n"
        'beteckning: "2023:1"\n'
        "title: Arbetsordning för styrelsen\n"
        "kind: arbetsordning\n"
        "status: published\n"
        "adopted: {organ: styrelsen, date: 2023-09-13, paragraph: 2}\n"
        "in_force: 2023-10-01\n"
        "---\n\n## 1 §\n\nStyrelsen sammanträder minst fyra gånger om året.\n",
        "utf-8",
    )
    out = tmp_path / "site"
    built = _run(
        "build", "--content", str(content), "--out", str(out), "--cache", str(tmp_path / "c")
    )
    assert built.returncode == 0, built.stderr
    pdf = out / "forfattningssamling/2023-1/forfattning-2023-1.pdf"
    verified = _run("verify", "--root", str(pki.root_pem), str(pdf))
    assert verified.returncode == 0, verified.stdout
    assert "giltigt sigill av Testkommunens e-sigill (Testkommunen)" in verified.stdout
    with pikepdf.open(pdf) as opened, opened.open_metadata() as xmp:
        assert xmp["pdfaid:part"] == "2" and xmp["pdfaid:conformance"] == "A"
    # as test_pdf allows (2a declared; WeasyPrint's empty patterns), and the seal's signature
    # field, which PDF/A-2 allows and pikepdf's checker does not look into
    allowed = {
        "pdfaid:conformance is 'A', expected 'B'",
        "patterns are not supported",
        "shadings are not supported",
        "interactive forms (/AcroForm) are not supported",
    }
    findings = [f.message for f in pdfa.validate_written(pdf, "2b").findings]
    assert [f for f in findings if f not in allowed] == []
    with pikepdf.open(pdf) as opened:
        fields = opened.Root.AcroForm.Fields
        assert [str(field.FT) for field in fields] == ["/Sig"]  # the seal's, and nothing else
    # sealed, it is still PDF/A-2a to the format identification of e-arkiv intake (opf-fido),
    # and poppler's pdfsig finds the signature valid
    from test_pdf_identification import PDF_A_2A, identified

    assert identified([pdf]) == {pdf: PDF_A_2A}
    checked = subprocess.run(["pdfsig", str(pdf)], capture_output=True, text=True, timeout=60)
    assert "Signature Validation: Signature is Valid." in checked.stdout, checked.stdout
