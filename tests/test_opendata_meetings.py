"""The meetings as open data (/data/sammantraden.json), built by the command line and compared
with the meeting files as yaml reads them here, on its own."""

from __future__ import annotations

import json
import shutil
import struct
import zlib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from conftest import ROOT, run_build_py

from justerat.domain.meetings import readable

BASE = "https://arkiv.samordningsforbundetostrasodertorn.se/"
SWEDEN = ZoneInfo("Europe/Stockholm")
PLACE = "Kommunhuset, sal A"
MEDIA = {".txt": "text/plain", ".png": "image/png"}


def png() -> bytes:
    """A one-pixel PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def meeting_file(organ: str, day: str, clock: str, status: str, **more: Any) -> str:
    meta = {"organ": organ, "date": date.fromisoformat(day), "time": clock, "place": PLACE}
    meta |= {"status": status, **more}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\nLedamöter och ersättare kallas till sammanträde.\n"


WRITTEN = {
    "styrelsen/2026-03-26.md": meeting_file(
        "styrelsen",
        "2026-03-26",
        "18.30-21.00",
        "planned",
        items=[
            {"title": "Val av justerare"},
            {
                "title": "Budget 2027",
                "diarienummer": "SOS 2026/12",
                "proposal": "Styrelsen antar budgeten för 2027.",
                "handlingar": [
                    "handlingar/2026-03-26/budget-2027.txt",
                    "handlingar/2026-03-26/karta.png",
                ],
            },
        ],
        kungorelse={"posted": date(2026, 3, 16)},
    ),
    "styrelsen/2026-04-02.md": meeting_file(
        "styrelsen", "2026-04-02", "18.30", "planned", items=[{"title": "Information"}]
    ),
    "styrelsen/2026-05-06.md": meeting_file(
        "styrelsen", "2026-05-06", "13.00-15.00", "cancelled", cancelled_reason="Inga ärenden."
    ),
    "styrelsen/2026-06-10.md": meeting_file(
        "styrelsen",
        "2026-06-10",
        "18.30",
        "moved",
        moved_to={"date": date(2026, 6, 17), "time": "17.00-19.00", "place": "Haninge kulturhus"},
        items=[{"title": "Årsredovisning", "paragraph": 4}],
    ),
    "styrelsen/2026-09-09.md": meeting_file(
        "styrelsen", "2026-09-09", "18.30", "draft", items=[{"title": "Hemligt utkast"}]
    ),
}
FILES = {
    "styrelsen/handlingar/2026-03-26/budget-2027.txt": "Förslag till budget 2027.\n".encode(),
    "styrelsen/handlingar/2026-03-26/karta.png": png(),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The content folder (the sample's and the meetings above) and the site built from it."""
    where = tmp_path_factory.mktemp("opendata-meetings")
    content = where / "content"
    shutil.copytree(ROOT / "content", content)
    for name, data in [*((n, t.encode()) for n, t in WRITTEN.items()), *FILES.items()]:
        target = content / "meetings" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    out = where / "site"
    result = run_build_py(
        "build",
        "--content",
        str(content),
        "--out",
        str(out),
        "--cache",
        str(where / "cache"),
        "--no-pdf",
        "--today",
        "2026-03-01",
    )
    assert result.returncode == 0, result.stderr
    return content, out


def front_matter(file: Path) -> dict[str, Any]:
    _, front, _ = file.read_text("utf-8").split("---\n", 2)
    meta: dict[str, Any] = yaml.safe_load(front)
    return meta


def published(content: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Each meeting file that is not a draft, by its page's address."""
    found = {}
    for file in sorted((content / "meetings").glob("*/*.md")):
        meta = front_matter(file)
        if meta["status"] != "draft":
            found[f"{BASE}sammantraden/{meta['organ']}/{meta['date'].isoformat()}/"] = (file, meta)
    return found


def moment(day: date, clock: str) -> str:
    hours, minutes = clock.split(".")
    return datetime.combine(day, time(int(hours), int(minutes)), SWEDEN).isoformat()


def span(day: date, written: str) -> tuple[str, str | None]:
    start, _, end = written.partition("-")
    return moment(day, start), moment(day, end) if end else None


def document(site: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site / "data/sammantraden.json").read_text("utf-8"))
    return data


def local(site: Path, url: str) -> Path:
    path = site / url.removeprefix(BASE)
    return path / "index.html" if url.endswith("/") else path


def test_every_published_meeting_is_there_as_its_file_says(built: tuple[Path, Path]) -> None:
    content, site = built
    data = document(site)
    assert data["format"] == "justerat-opendata/1"
    files = published(content)
    meetings = {m["id"]: m for m in data["meetings"]}
    assert set(meetings) == set(files)
    starts = [m["start"] for m in data["meetings"]]
    assert starts == sorted(starts, key=datetime.fromisoformat)  # in the order they are held
    for url, (_, meta) in files.items():
        meeting = meetings[url]
        assert meeting["type"] == "Meeting" and meeting["web"] == url
        assert local(site, url).is_file()
        assert meeting["organization"]["id"] == meta["organ"]
        assert meeting["cancelled"] is (meta["status"] == "cancelled")
        moved = meta.get("moved_to") or {}
        day = moved.get("date", meta["date"])
        assert (meeting["start"], meeting["end"]) == span(day, moved.get("time", meta["time"]))
        assert meeting["location"]["description"] == moved.get("place", meta["place"])
        if moved:
            assert meeting["moved"]["originalStart"] == span(meta["date"], meta["time"])[0]
            assert meeting["moved"]["originalLocation"]["description"] == meta["place"]
        else:
            assert meeting["moved"] is None


def test_times_carry_the_swedish_offset_of_their_day(built: tuple[Path, Path]) -> None:
    meetings = {m["id"]: m for m in document(built[1])["meetings"]}
    winter = meetings[f"{BASE}sammantraden/styrelsen/2026-03-26/"]
    summer = meetings[f"{BASE}sammantraden/styrelsen/2026-04-02/"]
    assert (winter["start"], winter["end"]) == (
        "2026-03-26T18:30:00+01:00",
        "2026-03-26T21:00:00+01:00",
    )
    assert (summer["start"], summer["end"]) == ("2026-04-02T18:30:00+02:00", None)


def test_agenda_items_are_the_files_items(built: tuple[Path, Path]) -> None:
    content, site = built
    meetings = {m["id"]: m for m in document(site)["meetings"]}
    for url, (file, meta) in published(content).items():
        items = meetings[url]["agendaItem"]
        written = meta.get("items") or []
        assert [i["number"] for i in items] == list(range(1, len(written) + 1))
        for item, own in zip(items, written, strict=True):
            assert item["type"] == "AgendaItem"
            assert item["name"] == own["title"]
            assert item.get("diarienummer") == own.get("diarienummer")
            assert item.get("proposal") == own.get("proposal")
            handlingar = own.get("handlingar") or []
            named = [h["file"] if isinstance(h, dict) else h for h in handlingar]
            files = item["auxiliaryFile"]
            assert [f["fileName"] for f in files] == [Path(n).name for n in named]
            titles = [h.get("title") if isinstance(h, dict) else None for h in handlingar]
            assert [f["name"] for f in files] == [
                t or readable(Path(n).name) for t, n in zip(titles, named, strict=True)
            ]
            for each, name in zip(item["auxiliaryFile"], named, strict=True):
                source = file.parent / name
                published_file = local(site, each["accessUrl"])
                assert each["type"] == "File"
                assert each["size"] == source.stat().st_size == published_file.stat().st_size
                assert published_file.read_bytes() == source.read_bytes()
                assert each["mimeType"] == MEDIA[source.suffix]


def test_the_held_meeting_links_its_protocol_and_its_paragraphs(built: tuple[Path, Path]) -> None:
    _, site = built
    meetings = {m["id"]: m for m in document(site)["meetings"]}
    held = meetings[f"{BASE}sammantraden/styrelsen/2023-09-13/"]
    protocol = held["resultsProtocol"]
    assert protocol["web"] == f"{BASE}protokoll/styrelsen/2023-09-13/"
    assert (
        protocol["accessUrl"]
        == f"{BASE}protokoll/styrelsen/2023-09-13/protokoll-styrelsen-2023-09-13.pdf"
    )
    assert local(site, protocol["web"]).is_file()
    record = json.loads(local(site, protocol["data"]).read_text("utf-8"))
    paragraphs = {p["number"]: p["name"] for p in record["agendaItems"]}
    linked = [i for i in held["agendaItem"] if "paragraph" in i]
    assert linked  # the ärenden are found among the §§ by their titles
    for item in linked:
        assert paragraphs[item["paragraph"]].casefold() == item["name"].casefold()
    # no protocol: none linked, no § (even one the file names)
    for url, meeting in meetings.items():
        if url != held["id"]:
            assert meeting["resultsProtocol"] is None
            assert all("paragraph" not in i for i in meeting["agendaItem"])


def test_drafts_are_absent(built: tuple[Path, Path]) -> None:
    _, site = built
    text = (site / "data/sammantraden.json").read_text("utf-8")
    assert "2026-09-09" not in text and "Hemligt utkast" not in text


def test_the_index_links_the_meetings_document(built: tuple[Path, Path]) -> None:
    _, site = built
    index = json.loads((site / "data/index.json").read_text("utf-8"))
    assert index["format"] == "justerat-opendata/1"
    assert index["meetingSchedule"] == f"{BASE}data/sammantraden.json"
    assert local(site, index["meetingSchedule"]).is_file()
    data = document(site)
    assert local(site, data["calendar"]).is_file()
    kungorelse = {m["id"]: m["kungorelse"] for m in data["meetings"]}
    posted = kungorelse[f"{BASE}sammantraden/styrelsen/2026-03-26/"]
    assert posted["posted"] == "2026-03-16"
    assert local(site, posted["web"]).is_file()
