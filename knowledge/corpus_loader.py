"""Load the corpus: the manifest, the raw lines of each file, and their parsed trees.

The corpus files are kept byte for byte as received; citations give 1-based line
numbers into them, so lines are read exactly as stored (only the line terminator is
removed) and never normalised here. The content hash is over the file bytes, so the
index can tell when a file changed under it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from knowledge import yaml_io
from knowledge.model import Document, DocumentInfo
from knowledge.parsing import parse

DEFAULT_CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
MANIFEST = "manifest.yml"


def _dir(corpus_dir: Path | str | None) -> Path:
    return Path(corpus_dir) if corpus_dir is not None else DEFAULT_CORPUS_DIR


def _date(value: object) -> dt.date | None:
    """Manifest dates: YAML dates, ISO strings ("2013-10-01") or Dutch "01-10-2013"."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise ValueError(f"Ongeldige datum in manifest: {value!r}")


def load_manifest(corpus_dir: Path | None = None) -> list[DocumentInfo]:
    """The documents listed in ``manifest.yml``, in manifest order."""
    data = yaml_io.safe_load((_dir(corpus_dir) / MANIFEST).read_text(encoding="utf-8")) or {}
    infos = []
    for entry in data.get("documents") or []:
        infos.append(
            DocumentInfo(
                doc_id=str(entry["id"]),
                file=str(entry["file"]),
                gemeente=str(entry["gemeente"]),
                title=str(entry["title"]),
                kind=str(entry.get("kind") or "plain"),
                valid_from=_date(entry.get("valid_from")),
                valid_to=_date(entry.get("valid_to")),
            )
        )
    return infos


def read_lines(path: Path | str) -> list[str]:
    """The file's lines exactly as stored, without their ``\\n`` / ``\\r\\n`` terminator.

    A final line without newline is kept; a trailing newline does not add an empty line
    (so ``len(read_lines(p))`` equals what ``wc -l`` / ``sed`` count as lines).
    """
    return _split(Path(path).read_bytes().decode("utf-8"))


def _split(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def load_document(info: DocumentInfo, corpus_dir: Path | None = None) -> Document:
    """Read, hash and parse one document."""
    path = _dir(corpus_dir) / info.file
    raw = path.read_bytes()
    lines = _split(raw.decode("utf-8"))
    root = parse(info, lines)
    return Document(info=info, lines=lines, root=root, content_hash=hashlib.sha256(raw).hexdigest())


def load_corpus(corpus_dir: Path | None = None) -> list[Document]:
    """Every document of the manifest, parsed."""
    return [load_document(info, corpus_dir) for info in load_manifest(corpus_dir)]
