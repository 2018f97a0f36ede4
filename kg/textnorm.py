"""The normalised view of a text: NFKC, traditional → simplified, with an offset map back.

Every character of the source maps to zero or more characters of the view; ``View.src(i)``
gives the source offset of view position ``i`` so that a match found in the view can be
reported as an exact span of the original text.

The traditional → simplified table is OpenCC's character table (TSCharacters, shipped with the
``opencc-python-reimplemented`` package), applied character by character with
``str.translate``: one pass, 1:1 for CJK, so most texts need no offset map at all.

>>> v = normalize_view("我區堅持（一）")
>>> v.text
'我区坚持(一)'
>>> v.span(2, 4)
(2, 4)
>>> normalize("習近平法治思想")
'习近平法治思想'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["View", "normalize", "normalize_view", "t2s_table"]


@lru_cache(maxsize=1)
def t2s_table() -> dict[int, str]:
    """Traditional → simplified character table (first OpenCC candidate for each character)."""
    try:
        base = resources.files("opencc") / "dictionary" / "TSCharacters.txt"
        lines = base.read_text(encoding="utf-8").splitlines()
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - dependency missing
        lines = []
    table: dict[int, str] = {}
    for line in lines:
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            target = parts[1].split(" ")[0]
            if len(target) == 1 and target != parts[0]:
                table[ord(parts[0])] = target
    return table


class _CharTable(dict):
    """Lazily filled ``str.translate`` table: NFKC of one character, then t2s."""

    __slots__ = ("_t2s",)

    def __init__(self) -> None:
        super().__init__()
        self._t2s = t2s_table()

    def __missing__(self, cp: int) -> str | int:
        ch = chr(cp)
        out = unicodedata.normalize("NFKC", ch) if cp > 0x7F else ch
        out = "".join(self._t2s.get(ord(c), c) for c in out)
        value: str | int = cp if out == ch else out
        self[cp] = value
        return value


_TABLE = _CharTable()

# Blocks whose characters are checked one by one for :func:`_changing` (ASCII is always kept).
_CHECKED_BLOCKS = ((0x80, 0x2FFF), (0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
                   (0xFF00, 0xFFEF))  # fmt: skip


@lru_cache(maxsize=1)
def _changing() -> re.Pattern[str]:
    """A character the table may change: anything but the characters of the common blocks that
    NFKC and the t2s table both leave alone (decided here exactly as ``_CharTable`` does)."""
    t2s = t2s_table()
    ranges: list[tuple[int, int]] = []
    for lo, hi, nfkc in ((0x00, 0x7F, False), *((a, b, True) for a, b in _CHECKED_BLOCKS)):
        start = None
        for cp in range(lo, hi + 2):
            same = (
                cp <= hi
                and cp not in t2s
                and (not nfkc or unicodedata.is_normalized("NFKC", chr(cp)))
            )
            if same and start is None:
                start = cp
            elif not same and start is not None:
                ranges.append((start, cp - 1))
                start = None
    cls = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    return re.compile(f"[^{cls}]")


def normalize(text: str) -> str:
    """The normalised view of ``text`` without offsets (NFKC + traditional → simplified)."""
    if not _changing().search(text):
        return text  # most texts are already normal: one scan instead of a lookup per character
    return text.translate(_TABLE)


@dataclass(slots=True)
class View:
    """A normalised text and, when lengths differ, the source offset of each view position."""

    text: str
    source_len: int
    offsets: list[int] | None = None  # None: identity (view position i == source offset i)

    def src(self, i: int) -> int:
        """Source offset of view position ``i`` (``i == len(text)`` maps to the source end)."""
        if self.offsets is None:
            return i
        if i >= len(self.offsets):
            return self.source_len
        return self.offsets[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Source span covering view span ``[start, end)``."""
        if self.offsets is None:
            return start, end
        if end <= start:
            s = self.src(start)
            return s, s
        return self.src(start), self.offsets[end - 1] + 1 if end - 1 < len(
            self.offsets
        ) else self.source_len


def normalize_view(text: str) -> View:
    """Normalise ``text`` and keep the map back to source offsets."""
    out = normalize(text)
    if len(out) == len(text):
        # Translation is per character; equal length means every character mapped to one.
        return View(out, len(text), None)
    offsets: list[int] = []
    pieces: list[str] = []
    for i, ch in enumerate(text):
        v = _TABLE[ord(ch)]
        piece = ch if isinstance(v, int) else v
        pieces.append(piece)
        offsets.extend([i] * len(piece))
    return View("".join(pieces), len(text), offsets)
