"""Reader for SmSA-style files: one ``text<TAB>label`` per line, labels positive/neutral/negative."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pantau.errors import PantauError

LABELS = ("negative", "neutral", "positive")


class DatasetError(PantauError, ValueError):
    """A labelled file that cannot be read: the message names the file, the line and the fix."""


@dataclass(frozen=True)
class Example:
    text: str
    label: str


def read_smsa(path: str | Path) -> list[Example]:
    """All examples of ``path``; blank lines are skipped, anything else malformed is an error."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such file (expected text<TAB>label lines)")
    out: list[Example] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            text, sep, label = line.rpartition("\t")
            label = label.strip().lower()
            if not sep or not text.strip():
                raise DatasetError(f"{path}:{lineno}: expected text<TAB>label")
            if label not in LABELS:
                raise DatasetError(f"{path}:{lineno}: label {label!r} is not one of {', '.join(LABELS)}")
            out.append(Example(text.strip(), label))
    if not out:
        raise DatasetError(f"{path}: no examples")
    return out


def read_jsonl(path: str | Path) -> list[Example]:
    """Labelled JSON lines: ``{"text": ..., "label": "positive|neutral|negative"}``."""
    from nlp.jsonlines import json_lines

    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such file (expected JSON lines with text and label)")
    out: list[Example] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, row in json_lines(fh, path, DatasetError):
            text, label = (row.get("text"), str(row.get("label", "")).lower()) if isinstance(row, dict) else (None, "")
            if not isinstance(text, str) or not text.strip():
                raise DatasetError(f"{path}:{lineno}: expected an object with a non-empty \"text\"")
            if label not in LABELS:
                raise DatasetError(f"{path}:{lineno}: label {label!r} is not one of {', '.join(LABELS)}")
            out.append(Example(text.strip(), label))
    if not out:
        raise DatasetError(f"{path}: no examples")
    return out


def read_labelled(path: str | Path, fmt: str = "smsa") -> list[Example]:
    """Read ``path`` as ``smsa`` (text<TAB>label) or ``jsonl``."""
    readers = {"smsa": read_smsa, "jsonl": read_jsonl}
    if fmt not in readers:
        raise DatasetError(f"unknown format {fmt!r}: use smsa or jsonl")
    return readers[fmt](path)
