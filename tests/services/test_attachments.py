"""Saving an attachment out to a file: the whole file or nothing, never a temporary left over."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path
from typing import IO, Any

import pytest

from citypartner_desktop.db.database import Database
from citypartner_desktop.services import attachments, records

CONTENT = bytes(range(256)) * 9000  # 2.3 MB: more than one write


@pytest.fixture
def attachment_id(db: Database, tmp_path: Path) -> str:
    source = tmp_path / "source" / "Vertrag 京都市.pdf"
    source.parent.mkdir()
    source.write_bytes(CONTENT)
    city = records.create(db.uow(), "city", {"name": "京都市", "country": "JP"}).id
    return attachments.attach(db.uow(), "city", city, source)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "Łódź"
    folder.mkdir()
    return folder


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_save_copy_writes_the_whole_file(db: Database, attachment_id: str, out: Path) -> None:
    target = out / attachments.file_name(db.uow(), attachment_id)
    assert attachments.save_copy(db.uow(), attachment_id, target) == target
    assert target.read_bytes() == CONTENT
    assert _names(out) == ["Vertrag 京都市.pdf"]


@pytest.mark.parametrize("error", [KeyboardInterrupt(),
                                   OSError(errno.ENOSPC, "No space left on device")],
                         ids=["interrupted", "disk full"])
@pytest.mark.parametrize("existing", [None, b"the copy saved last week"],
                         ids=["new", "replacing"])
def test_an_interrupted_copy_leaves_nothing_behind(
        db: Database, attachment_id: str, out: Path, monkeypatch: pytest.MonkeyPatch,
        error: BaseException, existing: bytes | None) -> None:
    target = out / "Vertrag 京都市.pdf"
    if existing is not None:
        target.write_bytes(existing)
    during: list[list[str]] = []

    def halfway(source: IO[bytes], dest: IO[bytes], length: int = 0, *_: Any) -> None:
        dest.write(source.read(len(CONTENT) // 2))
        dest.flush()
        during.append(_names(out))
        raise error

    monkeypatch.setattr(shutil, "copyfileobj", halfway)
    with pytest.raises(type(error)):
        attachments.save_copy(db.uow(), attachment_id, target)
    # The copy really was half done, in a temporary (.part) file beside the target ...
    assert len(during) == 1
    [temp] = [n for n in during[0] if n != target.name]
    assert temp.startswith(".Vertrag 京都市.pdf.") and temp.endswith(".part")
    # ... which is gone; the target is as it was (absent, or the old copy).
    if existing is None:
        assert _names(out) == []
    else:
        assert _names(out) == ["Vertrag 京都市.pdf"]
        assert target.read_bytes() == existing
