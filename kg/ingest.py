"""Files → :class:`~kg.model.Report`: decode, extract, strip page furniture, keep page metadata.

The flow for one file (:func:`ingest_file`)::

    extract_raw(path)        bytes → raw text per format (.txt .html/.htm .docx .pdf)
      └ decode_bytes()       BOM, strict UTF-8, else GB18030 that looks like Chinese text
    clean_text(raw)          remove page furniture and converter noise; PageMeta from the page
    Report(id, version = sha256(cleaned text), ...)

Every failure is an :class:`~kg.model.IngestError` whose message names the file and the reason.

Decisions (see also the README of the project):

* **Folders** given to :func:`expand_inputs` are walked recursively in sorted order; hidden files
  and folders (name starting with ``.``) are skipped, and so are manifest files: the ones passed
  in ``skip`` (the ``--manifest`` file) and files named ``SOURCES.tsv``/``SOURCES.csv``/
  ``manifest.tsv``/``manifest.csv`` (case-insensitive). Every other file is returned, so an
  unsupported one becomes an "unsupported file type" error the user sees rather than a silent
  skip. A file named directly is always returned.
* **Furniture removal is line-based and conservative**: a line goes only when it is short and
  consists entirely of furniture (labelled fields such as ``发布时间:… 来源:…``, breadcrumbs, font
  size/print/share/close widgets, a site clock, info-disclosure tables, ``(编辑:…)`` trailers,
  separator rows, page numbers). Labelled fields (``来源:``, ``发布时间:``, ``索引号:`` ...) are
  recognised only above the first body paragraph or below the last one, so a body sentence that
  mentions 来源 or 分享 is never touched. Lines are classified on their normalised form (NFKC +
  traditional → simplified), so traditional-character pages are handled too; kept lines keep
  their original characters.
* **Converter noise**: a pinyin gloss right after a CJK character (``區(qū)`` → ``區``; lower-case,
  with a tone mark or ü) and ``??`` (mangled full-width spaces) at line starts are removed.
  Everything else (including ``?,F`` mojibake) is left as found.
* **HTML metadata**: ``<title>``/``<meta>`` (ArticleTitle, og:title, PubDate, ContentSource ...)
  are written as ``标题:``/``发布日期:``/``来源:`` lines at the top of the raw text, where
  :func:`clean_text` reads them like any other page metadata and removes them.
* **PDF**: hard line breaks inside paragraphs are rejoined (a full-width line not ending a
  sentence continues on the next line); a PDF whose text layer yields (almost) nothing is refused:
  OCR is not supported.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import hashlib
import io
import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.model import IngestError, PageMeta, Report
from kg.textnorm import normalize

__all__ = [
    "MANIFEST_NAMES",
    "MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "ManifestEntry",
    "clean_text",
    "decode_bytes",
    "expand_inputs",
    "extract_raw",
    "ingest_file",
    "load_manifest",
    "max_bytes",
]

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".html", ".htm", ".docx", ".pdf")
MANIFEST_NAMES = frozenset({"sources.tsv", "sources.csv", "manifest.tsv", "manifest.csv"})
_DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def _env_max_bytes() -> int:
    value = os.environ.get("KG_MAX_BYTES", "").strip().replace("_", "")
    if value:
        try:
            n = int(value)
            if n > 0:
                return n
        except ValueError:
            pass
    return _DEFAULT_MAX_BYTES


#: Largest file accepted (bytes): 20 MiB unless ``$KG_MAX_BYTES`` says otherwise. The
#: environment is read again on every call (:func:`max_bytes`), so it can be changed at run time.
MAX_BYTES: int = _env_max_bytes()


def max_bytes() -> int:
    """The size limit in force: ``$KG_MAX_BYTES`` when set, else :data:`MAX_BYTES`."""
    return _env_max_bytes() if os.environ.get("KG_MAX_BYTES") else MAX_BYTES


# ---------------------------------------------------------------------------------------------
# Manifest


@dataclass(slots=True)
class ManifestEntry:
    """One row of a manifest: where a file came from."""

    path: str
    url: str | None
    fetched_at: str | None
    note: str | None


def load_manifest(path: str | Path) -> dict[Path, ManifestEntry]:
    """Read a TSV or CSV manifest (header names at least ``path`` and ``url``).

    Keys are the resolved absolute paths of the files (``path`` is relative to the manifest's
    folder). Blank lines and lines starting with ``#`` are ignored. A duplicate path, or a URL
    used twice (it would give two files the same report id), is an error naming the line.
    """
    mpath = Path(path)
    where = str(mpath)
    try:
        data = mpath.read_bytes()
    except OSError as e:
        raise IngestError(where, f"cannot read manifest: {e.strerror or e}") from e
    if not data.strip():
        raise IngestError(where, "empty manifest")
    text, _ = decode_bytes(data, where)
    text = text.lstrip("\ufeff")
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")), "")
    delimiter = "\t" if "\t" in first else "," if "," in first else ";" if ";" in first else "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    cols: dict[str, int] = {}
    out: dict[Path, ManifestEntry] = {}
    seen_path: dict[Path, int] = {}
    seen_url: dict[str, int] = {}
    base = mpath.parent
    try:
        for row in reader:
            line = reader.line_num
            if not row or all(not c.strip() for c in row) or row[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = [c.strip().lower() for c in row]
                cols = {name: i for i, name in enumerate(header) if name}
                missing = [c for c in ("path", "url") if c not in cols]
                if missing:
                    raise IngestError(
                        where,
                        f"manifest header must name the columns path and url; missing "
                        f"{', '.join(missing)} (header: {', '.join(header)})",
                    )
                continue

            def cell(name: str, row: list[str] = row, cols: dict[str, int] = cols) -> str | None:
                i = cols.get(name)
                if i is None or i >= len(row):
                    return None
                v = row[i].strip()
                return v or None

            rel = cell("path")
            if rel is None:
                raise IngestError(where, f"line {line}: empty path")
            key = (base / rel).resolve()
            if key in seen_path:
                raise IngestError(
                    where, f"line {line}: duplicate path {rel!r} (first on line {seen_path[key]})"
                )
            url = cell("url")
            if url is not None:
                if url in seen_url:
                    raise IngestError(
                        where,
                        f"line {line}: url {url!r} already given on line {seen_url[url]} "
                        "(report ids must be unique)",
                    )
                seen_url[url] = line
            seen_path[key] = line
            out[key] = ManifestEntry(rel, url, cell("fetched_at"), cell("note"))
    except csv.Error as e:
        raise IngestError(where, f"line {reader.line_num}: malformed row: {e}") from e
    if header is None:
        raise IngestError(where, "manifest has no header line")
    return out


# ---------------------------------------------------------------------------------------------
# Inputs


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def expand_inputs(
    paths: Iterable[str | Path], *, skip: Iterable[str | Path] = ()
) -> list[tuple[Path, Path]]:
    """``(file, root)`` for every input, folders recursed in sorted order.

    ``root`` is the folder given (for a file given directly, its parent): report ids are paths
    relative to it. Hidden files/folders and manifest files are skipped inside folders (see the
    module docstring); a file reached twice is returned once. A path that does not exist raises
    :class:`IngestError`.
    """
    skipped = {Path(p).resolve() for p in skip}
    out: list[tuple[Path, Path]] = []
    seen: set[Path] = set()

    def add(f: Path, root: Path) -> None:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            out.append((f, root))

    for item in paths:
        p = Path(item)
        if p.is_dir():
            found: list[tuple[tuple[str, ...], Path]] = []
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in filenames:
                    if name.startswith(".") or name.lower() in MANIFEST_NAMES:
                        continue
                    f = Path(dirpath) / name
                    if f.resolve() in skipped:
                        continue
                    found.append((f.relative_to(p).parts, f))
            for _, f in sorted(found):
                add(f, p)
        elif p.exists():
            add(p, p.parent)
        else:
            raise IngestError(str(p), "no such file or directory")
    return out


# ---------------------------------------------------------------------------------------------
# Decoding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
_OK_CONTROLS = frozenset("\t\n\r\f\v")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF


def _gb2312_ok(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _safe_runs() -> re.Pattern[str]:
    """Runs of characters :func:`_bad_ratio` never counts: the allowed controls, ASCII, U+00A0
    to U+2FFF, and the assigned characters of the common CJK blocks (checked here against this
    Python's Unicode data, so the class holds no character the loop would count)."""
    ranges: list[tuple[int, int]] = [(0x09, 0x0D), (0x20, 0x7E), (0xA0, 0x2FFF)]
    for lo, hi in ((0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF)):
        start = None
        for cp in range(lo, hi + 2):
            ok = cp <= hi and unicodedata.category(chr(cp)) not in ("Co", "Cn", "Cs")
            if ok and start is None:
                start = cp
            elif not ok and start is not None:
                ranges.append((start, cp - 1))
                start = None
    cls = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)
    return re.compile(f"[{cls}]+")


_SAFE_RUNS = _safe_runs()


def _bad_ratio(text: str) -> float:
    """Share of characters that never occur in real text (controls, private use, unassigned).

    U+FFFD is not counted: callers bound replacement characters separately.
    """
    sample = text[:200_000]
    if not sample:
        return 0.0
    bad = 0
    for ch in _SAFE_RUNS.sub("", sample):  # only the rare characters are looked at
        if ch < " " or "\x7f" <= ch <= "\x9f":
            bad += ch not in _OK_CONTROLS
        elif ord(ch) > 0x2FFF and unicodedata.category(ch) in ("Co", "Cn", "Cs"):
            bad += 1
    return bad / len(sample)


def _looks_chinese(text: str) -> bool:
    """Non-ASCII characters are mostly common Chinese (GB2312 after traditional → simplified)."""
    sample = text[:200_000]
    non_ascii = [ch for ch in sample if ord(ch) > 0x7F and not ch.isspace()]
    if not non_ascii:
        return True
    common = 0
    for ch in non_ascii:
        if _is_cjk(ch) or 0x3000 <= ord(ch) <= 0x303F or 0xFF00 <= ord(ch) <= 0xFFEF:
            common += _gb2312_ok(normalize(ch)) or _gb2312_ok(ch)
        elif ch in "“”‘’—…·•":
            common += 1
    return common / len(non_ascii) >= 0.8


def _decode_truncated(data: bytes, enc: str) -> str | None:
    """Strict decode; a multi-byte character cut off at the very end becomes U+FFFD."""
    try:
        return data.decode(enc)
    except UnicodeDecodeError as e:
        if (
            e.reason == "unexpected end of data"
            or e.end >= len(data) - 1
            and e.start >= len(data) - 4
        ):
            try:
                return data[: e.start].decode(enc) + "\ufffd"
            except UnicodeDecodeError:
                return None
        return None


_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "gb18030": "gb18030",
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
}


def decode_bytes(data: bytes, path: str | Path, *, hint: str | None = None) -> tuple[str, str]:
    """Decode a text file: ``(text, encoding)``.

    BOM (UTF-8/16/32) first, then strict UTF-8, then ``hint`` (a charset an HTML page declares)
    and GB18030, accepted only when they decode with few replacement characters and the result
    looks like Chinese text; a mostly-UTF-8 file with a few corrupt bytes is decoded with
    replacement characters. A multi-byte character cut off at the end of a truncated scrape
    becomes U+FFFD. NUL bytes mean a binary file. Anything else raises :class:`IngestError`.
    """
    where = str(path)
    if not data:
        return "", "utf-8"
    for bom, enc, name in _BOMS:
        if data.startswith(bom):
            text = _decode_truncated(data[len(bom) :], enc)
            if (
                text is not None
                and text.rstrip("\ufffd")
                and text.count("\ufffd") <= 1 + len(text) // 1000
                and _bad_ratio(text) <= 0.01
                and _looks_chinese(text)
            ):
                return text, name
            break  # a BOM-like prefix on something else: try the rest
    body = data.rstrip(b"\x00")  # a preallocated, partly written download
    if b"\x00" in body:
        raise IngestError(where, "binary file (contains NUL bytes)")
    if not body:
        raise IngestError(where, "binary file (only NUL bytes)")
    text = _decode_truncated(body, "utf-8")
    if text is not None:
        if _bad_ratio(text) > 0.01:
            raise IngestError(where, "binary file (control characters)")
        return text, "utf-8"
    tried = ["utf-8"]
    encs: list[str] = []
    if hint:
        h = _CHARSET_ALIASES.get(hint.strip().lower(), hint.strip().lower())
        try:
            codecs.lookup(h)
            if h != "utf-8":
                encs.append(h)
        except LookupError:
            pass
    if "gb18030" not in encs:
        encs.append("gb18030")
    for enc in encs:
        tried.append(enc)
        text = body.decode(enc, errors="replace")
        replaced = text.count("\ufffd")
        if (
            replaced <= max(2, len(text) // 1000)
            and _bad_ratio(text) <= 0.01
            and _looks_chinese(text)
        ):
            return text, enc
    text = body.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= len(text) // 200 and _bad_ratio(text) <= 0.01:
        return text, "utf-8"
    raise IngestError(where, f"undecodable bytes: tried {', '.join(tried)}")


# ---------------------------------------------------------------------------------------------
# Extraction per format

_TITLE_KEYWORDS = re.compile(r"报告|情况|工作|法治|建设|总结")


def _read_limited(path: Path) -> bytes:
    where = str(path)
    try:
        st = path.stat()
    except OSError as e:
        raise IngestError(where, f"cannot read file: {e.strerror or e}") from e
    if stat.S_ISDIR(st.st_mode):  # what path.is_dir() says, without a second stat
        raise IngestError(where, "is a directory")
    limit = max_bytes()
    if st.st_size > limit:
        raise IngestError(
            where,
            f"file too large: {st.st_size:,} bytes (limit {limit:,} bytes; set KG_MAX_BYTES to raise it)",
        )
    if st.st_size == 0:
        raise IngestError(where, "empty file")
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as e:
        raise IngestError(where, f"cannot read file: {e.strerror or e}") from e
    if len(data) > limit:
        raise IngestError(where, f"file too large: more than {limit:,} bytes (set KG_MAX_BYTES)")
    if not data:
        raise IngestError(where, "empty file")
    return data


def extract_raw(path: str | Path) -> tuple[str, str, str | None]:
    """``(raw text, format, encoding)`` of a file, by suffix; encoding is None for docx/pdf."""
    path = Path(path)
    where = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = f"'{path.suffix}'" if path.suffix else "(none)"
        raise IngestError(
            where, f"unsupported file type {shown} (supported: {', '.join(SUPPORTED_SUFFIXES)})"
        )
    data = _read_limited(path)
    if suffix == ".txt":
        text, enc = decode_bytes(data, where)
        if not text.strip(" \t\r\n\f\v\u3000\xa0\ufeff\x00"):
            raise IngestError(where, "empty file (only whitespace)")
        return text, "txt", enc
    if suffix in (".html", ".htm"):
        text, enc = _html_text(data, where)
        return text, "html", enc
    if suffix == ".docx":
        return _docx_text(data, where), "docx", None
    return _pdf_text(data, where), "pdf", None


# -- HTML --------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "iframe",
    "select", "option", "button", "input", "textarea", "svg", "canvas", "object", "embed",
    "map", "audio", "video",
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    "p div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 table tr thead tbody tfoot caption section "
    "article main blockquote pre address figure figcaption form fieldset hr center body".split()
)
_META_TITLE = ("articletitle", "og:title", "dc.title", "title", "twitter:title")
_META_DATE = (
    "pubdate", "publishdate", "firstpublishedtime", "article:published_time", "dc.date",
    "dcterms.issued", "publish_date", "releasedate",
)  # fmt: skip
_META_SOURCE = ("contentsource", "source", "article:source")
_TITLE_SPLIT = re.compile(r"\s+[-|–—]\s+|_|\s*——\s*|\s*\|\s*|\s*--\s*")


def _best_title(candidate: str) -> str | None:
    parts = [p.strip() for p in _TITLE_SPLIT.split(candidate) if p and p.strip()]
    if not parts:
        return None
    for p in parts:
        if _TITLE_KEYWORDS.search(normalize(p)):
            return p
    return None


def _html_text(data: bytes, where: str) -> tuple[str, str]:
    from bs4 import BeautifulSoup, Comment, NavigableString

    m = _META_CHARSET.search(data[:8192])
    hint = m.group(1).decode("ascii", "replace") if m else None
    text, enc = decode_bytes(data, where, hint=hint)
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as e:  # pragma: no cover - lxml is robust
        raise IngestError(where, f"cannot parse HTML: {type(e).__name__}: {e}") from e

    metas: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("name") or tag.get("property") or "").strip().lower()
        content = (tag.get("content") or "").strip()
        if key and content and key not in metas:
            metas[key] = " ".join(content.split())
    head_lines: list[str] = []
    title = None
    for key in _META_TITLE:
        if key in metas and (title := _best_title(metas[key])):
            break
    if title is None and soup.title and soup.title.string:
        title = _best_title(" ".join(soup.title.get_text().split()))
    if title:
        head_lines.append(f"标题:{title}")
    for key in _META_DATE:
        if key in metas and _parse_date(metas[key]):
            head_lines.append(f"发布日期:{metas[key]}")
            break
    for key in _META_SOURCE:
        if key in metas and len(metas[key]) <= 40:
            head_lines.append(f"来源:{metas[key]}")
            break

    if soup.head is not None:
        soup.head.decompose()
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    body = soup.body or soup
    kept_text = body.get_text(" ", strip=True)
    removed = []
    for tag in body.find_all(_DROP_TAGS):
        removed.append(tag)
    if removed:
        for tag in removed:
            tag.extract()
        if len(body.get_text(" ", strip=True)) < 0.1 * len(kept_text):
            # the page put its content inside <header>/<nav>/...: keep them after all
            soup = BeautifulSoup(text, "lxml")
            if soup.head is not None:
                soup.head.decompose()
            body = soup.body or soup
            for tag in body.find_all(("script", "style", "noscript", "template")):
                tag.extract()

    for s in list(body.find_all(string=True)):
        if isinstance(s, Comment):
            s.extract()
            continue
        if s.find_parent(("pre", "textarea")) is None:
            new = re.sub(r"[ \t\r\n\f]+", " ", str(s))
            if new != str(s):
                s.replace_with(NavigableString(new))
    for br in body.find_all("br"):
        br.replace_with(NavigableString("\n"))
    for cell in body.find_all(("td", "th")):
        cell.append(NavigableString(" | "))
    for tag in body.find_all(_BLOCK_TAGS):
        tag.insert_before(NavigableString("\n"))
        tag.append(NavigableString("\n"))
    raw = body.get_text()
    lines = [ln.strip(" ") for ln in raw.split("\n")]
    out = "\n".join(head_lines + lines)
    if not "".join(lines).strip(" |\t\u3000\xa0"):
        raise IngestError(where, "no text in HTML page")
    return out, enc


# -- DOCX --------------------------------------------------------------------------------------


def _docx_text(data: bytes, where: str) -> str:
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise IngestError(
            where, "not a .docx (OLE compound file: a password-protected .docx or a legacy .doc)"
        )
    if data[:2] != b"PK":
        raise IngestError(where, "corrupt .docx (not a ZIP package)")
    try:
        import docx
        from docx.table import Table

        doc = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        title = (doc.core_properties.title or "").strip()
        if title and _CJK_RE.search(title) and _TITLE_KEYWORDS.search(normalize(title)):
            lines.append(f"标题:{' '.join(title.split())}")
        for block in doc.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_docx_table_lines(block))
            else:
                lines.append(block.text)
    except IngestError:
        raise
    except Exception as e:
        raise IngestError(where, f"corrupt .docx: {type(e).__name__}: {e}") from e
    text = "\n".join(lines)
    if not text.strip():
        raise IngestError(where, "no text in .docx")
    return text


def _docx_table_lines(table) -> list[str]:
    lines: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        prev = None
        for cell in row.cells:
            if cell._tc is prev:  # a merged cell is repeated by python-docx
                continue
            prev = cell._tc
            cells.append(cell.text)
        if len(cells) == 1:  # a layout table: keep its paragraphs
            lines.extend(cells[0].split("\n"))
        elif cells:
            lines.append(" | ".join(" ".join(c.split()) for c in cells))
    return lines


# -- PDF ---------------------------------------------------------------------------------------

_ENDS_SENTENCE = re.compile(r"[。!?;:…!?;:][”’」』)】)\"']*$")
_HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|[((][一二三四五六七八九十\d]+[))]|\d+[.、](?!\d)|第[一二三四五六七八九十\d]+[章节条部分])"
)
_SECTION_HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def _visual_width(s: str) -> float:
    return sum(0.5 if c.isascii() else 1.0 for c in s)


def _reflow(text: str) -> str:
    """Rejoin lines that a PDF broke inside a paragraph.

    A line continues on the next one when it is at least 70 % of the full line width, does not
    end a sentence, and the next line does not start a paragraph (indentation, a heading number).
    """
    lines = text.split("\n")
    widths = sorted(_visual_width(ln.strip()) for ln in lines if ln.strip())
    if len(widths) < 3:
        return text
    full = widths[int(0.9 * (len(widths) - 1))]
    if full < 10:
        return text
    out: list[str] = []
    joinable = False
    for raw_line in lines:
        line = raw_line.strip()
        starts_para = raw_line[:1] in (" ", "\u3000", "\t") or _HEADING_START.match(line)
        if out and joinable and line and not starts_para:
            prev = out[-1]
            words = (
                prev[-1:].isascii()
                and prev[-1:].isalpha()
                and line[0].isascii()
                and line[0].isalpha()
            )
            out[-1] = prev + (" " if words else "") + line
        else:
            out.append(raw_line.rstrip())
        joinable = (
            bool(line)
            and _visual_width(line) >= 0.7 * full
            and not _ENDS_SENTENCE.search(out[-1])
            and not (_SECTION_HEADING.match(out[-1].strip()) and "。" not in out[-1])
        )
    return "\n".join(out)


def _strip_page_numbers(page: str) -> str:
    lines = page.strip("\n").split("\n")
    while lines and (not lines[-1].strip() or _PAGE_NO.match(lines[-1].strip())):
        lines.pop()
    while lines and (not lines[0].strip() or _PAGE_NO.match(lines[0].strip())):
        lines.pop(0)
    return "\n".join(lines)


def _pdf_text(data: bytes, where: str) -> str:
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise IngestError(where, "corrupt PDF (no %PDF header)")
    try:
        import pypdf
        from pypdf.errors import DependencyError, PyPdfError

        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except (DependencyError, NotImplementedError) as e:
                raise IngestError(where, f"encrypted PDF: cannot decrypt ({e})") from e
            if not ok:
                raise IngestError(where, "encrypted PDF (a password is required)")
        n = len(reader.pages)
        if n == 0:
            raise IngestError(where, "PDF has no pages")
        pages: list[str] = []
        failures = 0
        for page in reader.pages:
            try:
                pages.append(_strip_page_numbers(page.extract_text() or ""))
            except (PyPdfError, KeyError, ValueError, TypeError, AttributeError):
                failures += 1
        title = ""
        try:
            meta = reader.metadata
            title = (meta.title or "") if meta else ""
        except Exception:
            title = ""
    except IngestError:
        raise
    except Exception as e:
        raise IngestError(where, f"corrupt PDF: {type(e).__name__}: {e}") from e
    text = _reflow("\n".join(pages))
    chars = sum(1 for ch in text if not ch.isspace())
    if chars < 10 * n:
        extra = f", {failures} pages unreadable" if failures else ""
        raise IngestError(
            where,
            f"no text layer (scanned PDF?): {chars} characters in {n} pages{extra}; "
            "OCR is not supported",
        )
    head = ""
    title = str(title).strip()
    if title and _CJK_RE.search(title) and _TITLE_KEYWORDS.search(normalize(title)):
        head = f"标题:{' '.join(title.split())}\n"
    return head + text


# ---------------------------------------------------------------------------------------------
# Cleaning

_TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# (the lookbehind for the character before the bracket comes after the bracket, so the pattern
# starts with a character class and the regex engine jumps from bracket to bracket)
_PINYIN_GLOSS = re.compile(
    rf"[((](?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff][((])(?=[a-z{_TONES}\u0300-\u030c]*[{_TONES}\u0300\u0301\u0304\u030c])[a-z{_TONES}\u0300-\u030c]{{1,8}}[))]"
)
_QQ_START = re.compile(r"^\?{2,}(?=[^?\s])", re.M)
_TRAILING_PIPES = re.compile(r"(?<=\S)[ \t]*\|[\s|]*$")
_LEADING_PIPES = re.compile(r"^\|[ \t]*(?=[^\s|])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff]")
_NEWLINES = re.compile(r"\r\n?|\u2028|\u2029|\x0c|\x85")  # literals first: the engine skips ahead

_DATE_RE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)\s*日?"
)
_BARE_DATE = re.compile(
    r"^((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)


def _parse_date(value: str) -> str | None:
    m = _DATE_RE.search(value)
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


# label (as it reads after normalize(), spaces removed) -> (PageMeta field or None, priority,
# strength). Strength "weak" labels count only in the page head (above the first paragraph).
_LABELS: dict[str, tuple[str | None, int, str]] = {
    "标题": ("title", 0, "weak"),
    "发布日期": ("published", 0, "strong"),
    "发布时间": ("published", 0, "strong"),
    "公开日期": ("published", 1, "strong"),
    "发文日期": ("published", 2, "strong"),
    "印发日期": ("published", 2, "strong"),
    "成文日期": ("published", 3, "strong"),
    "生成日期": ("published", 3, "strong"),
    "更新时间": ("published", 4, "strong"),
    "更新日期": ("published", 4, "strong"),
    "时间": ("published", 5, "weak"),
    "日期": ("published", 5, "weak"),
    "来源": ("source", 1, "strong"),
    "文章来源": ("source", 0, "strong"),
    "信息来源": ("source", 0, "strong"),
    "稿件来源": ("source", 0, "strong"),
    "内容来源": ("source", 0, "strong"),
    "新闻来源": ("source", 0, "strong"),
    "索引号": ("index_no", 0, "strong"),
    "发文机构": ("issuer", 0, "strong"),
    "发布机构": ("issuer", 0, "strong"),
    "发文机关": ("issuer", 0, "strong"),
    "发文单位": ("issuer", 1, "strong"),
    "发布单位": ("issuer", 1, "strong"),
    "文号": ("doc_no", 0, "strong"),
    "发文字号": ("doc_no", 0, "strong"),
    "文件编号": ("doc_no", 1, "strong"),
}
for _name in (
    "浏览次数 阅读次数 阅读人次 阅读量 浏览量 点击数 点击量 点击率 访问量 访问次数 浏览 "
    "公开形式 公开方式 公开时限 公开范围 主题分类 主题词 机构分类 行业分类 公文类型 体裁分类 "
    "组配分类 服务对象分类 信息分类 信息类别 有效性 效力状态 时效 所属机构 责任部门 "
    "发布人 责任编辑 编辑 作者 撰稿 撰稿人 审核 校对 摄影 供稿 分类 名称 关键词 关键字 语种"
).split():
    _LABELS.setdefault(
        _name,
        (None, 9, "strong" if len(_name) >= 3 and _name not in ("撰稿人", "发布人") else "weak"),
    )

_LABEL_ALT = "|".join(
    "[ \u3000]*".join(map(re.escape, lab)) for lab in sorted(_LABELS, key=len, reverse=True)
)
_FIELD_RE = re.compile(rf"(?<![\u4e00-\u9fff])(?P<label>{_LABEL_ALT})[ \u3000]*[::]")
_LABEL_ONLY = re.compile(rf"^(?P<label>{_LABEL_ALT})[ \u3000]*:?$")

_TOKEN_RE = re.compile(
    r"[【\[]?(?:字体大小|字体|字号)[ ]*:?[ ]*[【\[(]?[ ]*(?:(?:大|中|小|默认|标准|超大|[ ]|[TＴ])[ ]*)*[】\])]?[】\]]?"
    r"|[【\[]?(?:打印本页|打印此页|打印文章|打印正文|打印|关闭窗口|关闭本页|关闭|返回顶部|返回列表|返回首页|返回"
    r"|收藏本页|加入收藏|收藏|我要纠错|纠错|保存本页|保存|下载本页|分享到|分享)[】\]]?:?"
    r"|扫一扫在手机(?:上)?(?:打开|查看)当前页(?:面)?|扫一扫在手机打开|手机扫一扫|用手机扫描二维码|扫描二维码分享"
    r"|视力保护色|【[大中小]】|\[[大中小]\]|繁体版?|繁體版?|简体版?|无障碍浏览|无障碍"
)
_SEPARATORS_ONLY = re.compile(r"^[\s|:\-—–_=*·•~\[\]【】()<>/\\.,、…]*$")
# A character no _TOKEN_RE match and no separator can hold (every character of both patterns'
# sources is let through, a superset): a line holding one is no widget-and-separator line.
_NOT_WIDGET_CHAR = re.compile(
    "[^\\s"
    + "".join(sorted({re.escape(c) for c in _TOKEN_RE.pattern + _SEPARATORS_ONLY.pattern}))
    + "]"
)
_SHARE_LINE = re.compile(r"^分享到?\s*:")
_CLOCK_RE = re.compile(
    r"^(?:今天是|今天|今日是?|当前时间|当前日期|现在时间|现在是)\s*:?\s*(?:19|20)\d\d\s*年[^。,;,;]*$"
    r"|^(?:19|20)\d\d年\d{1,2}月\d{1,2}日\s*(?:星期|周)[一二三四五六日天]\s*(?:农历.*)?$"
)
_CRUMB_LABEL = re.compile(
    r"^(?:您现在的位置|您现在所在的位置|您当前的位置|您当前所在的位置|您当前位置|您所在的位置|您的位置"
    r"|当前所在位置|当前的位置|当前位置)\s*:"
)
_CRUMB_LABEL_HEAD = re.compile(r"^(?:所在位置|位置|导航)\s*:")
_CRUMB_SPLIT = re.compile(r"\s*(?:>>|>|»|›)\s*")
_HOME = frozenset({"首页", "网站首页", "主页", "返回首页", "首 页"})
_PAREN_TRAILER = re.compile(
    r"^[(\[【]\s*(?P<label>责任编辑|编辑|编审|审核|校对|初审|复审|终审|来源|作者|记者|通讯员|供稿|撰稿|摄影)"
    r"\s*:[^()\[\]【】]{0,60}[)\]】]?$"
)
_EDITOR_LABELS = frozenset("责任编辑 编辑 编审 审核 校对 初审 复审 终审".split())
_PAGE_NO = re.compile(
    r"^(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})$"
)
_PREV_NEXT = re.compile(r"^(?:上一篇|下一篇|上一条|下一条|相关链接|相关文章|相关阅读)\s*[::]?")
_BODY_PUNCT = re.compile(r"[。,;,;]")
_SENTENCE_PUNCT = re.compile(r"[。,;!?,;!?]")
_ISSUER_SUFFIX = re.compile(
    r"(?:人民政府|政府|党工委|管委会|党委|委员会|办公室|办事处|司法局|局|厅|部|委|街道|镇|乡)$"
)
_TAG_PREFIX = re.compile(r"^【[^】]{1,20}】(?=.)")
_NO_VALUES = frozenset({"无", "暂无", "-", "--", "—", "/", "空", "null", "none", "n/a"})
_UNINFORMATIVE_SOURCES = frozenset({"本网", "本站", "原创", "网站", "本网站", "-", "/"})


class _Meta:
    """Metadata candidates with priorities; the first value at the best priority wins."""

    def __init__(self) -> None:
        self.best: dict[str, tuple[int, str]] = {}

    def offer(self, field: str | None, priority: int, value: str) -> None:
        if field is None:
            return
        value = " ".join(value.split()).strip(" |:")
        if field == "published":
            parsed = _parse_date(value)
            if parsed is None:
                return
            value = parsed
        elif field == "source" and value in _UNINFORMATIVE_SOURCES:
            return
        elif field == "doc_no" and value.lower() in _NO_VALUES:
            return
        elif field == "title":
            value = _TAG_PREFIX.sub("", value).strip()
        if not value or value.lower() in _NO_VALUES:
            return
        cur = self.best.get(field)
        if cur is None or priority < cur[0]:
            self.best[field] = (priority, value)

    def merge(self, other: _Meta) -> None:
        for field, (prio, value) in other.best.items():
            cur = self.best.get(field)
            if cur is None or prio < cur[0]:
                self.best[field] = (prio, value)

    def get(self, field: str) -> str | None:
        v = self.best.get(field)
        return v[1] if v else None


def _label_key(label: str) -> str:
    return re.sub(r"[ \u3000]", "", label)


def _parse_fields(n: str, zone_ok: bool, orig: str) -> list[tuple[str, str]] | None:
    """``[(label, value)]`` when the whole (normalised) line is labelled fields and widgets.

    ``n`` is the normalised line, ``orig`` the line as written: values are taken from ``orig``
    when normalisation kept the length (it does for CJK), so a traditional page keeps its
    characters.
    """
    same = len(orig) == len(n)
    if len(n) > 200:
        return None
    matches = list(_FIELD_RE.finditer(n))
    if not matches:
        return None
    # the text before the first label must be furniture
    if not _SEPARATORS_ONLY.match(_TOKEN_RE.sub(" ", n[: matches[0].start()])):
        return None
    fields: list[tuple[str, str]] = []
    for i, m in enumerate(matches):
        key = _label_key(m.group("label"))
        field, _, strength = _LABELS[key]
        if strength == "weak" and not zone_ok:
            return None
        end = matches[i + 1].start() if i + 1 < len(matches) else len(n)
        raw_segment = n[m.end() : end]
        segment = _TOKEN_RE.sub(" | ", raw_segment)
        parts = re.split(r"\s*\|\s*|\s{2,}|[【\[]", segment.strip(), maxsplit=1)
        value = parts[0].strip()
        if same and value:
            start = m.end() + len(raw_segment) - len(raw_segment.lstrip())
            value = orig[start : start + len(value)]
        rest = parts[1] if len(parts) > 1 else ""
        if not _SEPARATORS_ONLY.match(rest):
            return None
        limit = 200 if field == "title" else 60
        if len(value) > limit or "。" in value:
            return None
        if field == "published" and value and value not in _NO_VALUES and not _parse_date(value):
            if strength == "weak":
                return None
        fields.append((key, value))
    return fields


def _parse_table_row(n: str, orig: str) -> list[tuple[str, str]] | None:
    """``索 引 号 | 011043217/2023-07888 | 分 类 | 司法 |`` → label/value pairs."""
    if "|" not in n or len(n) > 300:
        return None
    cells = [c.strip() for c in n.strip().strip("|").split("|")]
    if len(orig) == len(n):
        originals = [c.strip() for c in orig.strip().strip("|").split("|")]
        if len(originals) == len(cells):
            cells = [
                c if k % 2 == 0 else o
                for k, (c, o) in enumerate(zip(cells, originals, strict=True))
            ]
    if len(cells) < 2:
        return None
    pairs: list[tuple[str, str]] = []
    i = 0
    while i < len(cells):
        key = _label_key(cells[i]).rstrip(":")
        if key not in _LABELS:
            return None
        value = cells[i + 1] if i + 1 < len(cells) else ""
        if len(value) > 80 or "。" in value:
            return None
        pairs.append((key, value))
        i += 2
    return pairs


def _is_breadcrumb(n: str, in_head: bool) -> bool:
    if len(n) > 160:
        return False
    if _CRUMB_LABEL.match(n):
        return True
    if not in_head:
        return False
    if _CRUMB_LABEL_HEAD.match(n):
        return True
    parts = [p for p in _CRUMB_SPLIT.split(n) if p]
    if not parts or not _CRUMB_SPLIT.search(n):
        return False
    if any(len(p) > 30 or _SENTENCE_PUNCT.search(p) for p in parts):
        return False
    return n[:1] in (">", "»", "›") or parts[0] in _HOME or len(parts) >= 3


def _is_body_line(n: str) -> bool:
    return len(n) >= 40 and bool(_BODY_PUNCT.search(n)) and not _FIELD_RE.match(n)


def _fix_line(line: str) -> str:
    line = line.strip()
    if "|" in line:
        line = _TRAILING_PIPES.sub("", line)
        line = _LEADING_PIPES.sub("", line).strip()
    return line


def _clean_pass(text: str, meta: _Meta) -> str:
    text = _NEWLINES.sub("\n", text)
    text = _CONTROL.sub("", text).replace("\t", " ")
    text = _PINYIN_GLOSS.sub("", text)
    if "??" in text:  # _QQ_START needs two
        text = _QQ_START.sub("", text)
    lines = [_fix_line(ln) for ln in text.split("\n")]
    norm = [normalize(ln) for ln in lines]
    n_lines = len(lines)
    body = [i for i, n in enumerate(norm) if _is_body_line(n)]
    if body:
        head_end, tail_start = body[0], body[-1] + 1
    else:
        head_end = min(n_lines, 30)
        tail_start = max(head_end, n_lines - 15)

    drop = [False] * n_lines
    crumb_at: int | None = None
    seen_head: set[str] = set()
    i = 0
    while i < n_lines:
        n = norm[i]
        if not n:
            i += 1
            continue
        in_head = i < head_end
        zone_ok = in_head or i >= tail_start
        short = len(n) <= 200
        furniture = False
        if short and _CLOCK_RE.match(n):
            furniture = True
        elif _is_breadcrumb(n, in_head):
            furniture = True
            if in_head and crumb_at is None:
                crumb_at = i
        elif short and _SEPARATORS_ONLY.match(n):
            furniture = True
        elif (
            (zone_ok or len(n) >= 4)
            and len(n) <= 120
            and not _NOT_WIDGET_CHAR.search(n)
            and _SEPARATORS_ONLY.match(_TOKEN_RE.sub(" ", n))
        ):
            furniture = True
        elif len(n) <= 60 and _SHARE_LINE.match(n):
            furniture = True
        elif short and _PAGE_NO.match(n):
            furniture = True
        elif short and (m := _PAREN_TRAILER.match(n)) and (zone_ok or m["label"] in _EDITOR_LABELS):
            furniture = True
        elif len(n) <= 120 and zone_ok and _PREV_NEXT.match(n):
            furniture = True
        elif in_head and (m := _LABEL_ONLY.match(n)):
            furniture = True
            key = _label_key(m.group("label"))
            j = i + 1
            while j < n_lines and not norm[j]:
                j += 1
            if (
                j < n_lines
                and j < head_end
                and len(norm[j]) <= 60
                and "。" not in norm[j]
                and not _LABEL_ONLY.match(norm[j])
                and not _FIELD_RE.match(norm[j])
            ):
                field, prio, _ = _LABELS[key]
                meta.offer(field, prio, lines[j] if len(lines[j]) == len(norm[j]) else norm[j])
                drop[j] = True
                for k in range(i + 1, j):
                    drop[k] = True
                drop[i] = True
                i = j + 1
                continue
        elif zone_ok and (fields := _parse_fields(n, zone_ok, lines[i])) is not None:
            furniture = True
            for key, value in fields:
                field, prio, _ = _LABELS[key]
                meta.offer(field, prio, value)
        elif zone_ok and (pairs := _parse_table_row(n, lines[i])) is not None:
            furniture = True
            for key, value in pairs:
                field, prio, _ = _LABELS[key]
                meta.offer(field, prio, value)
        elif in_head and (m := _BARE_DATE.match(n)):
            furniture = True
            meta.offer("published", 6, n)
        elif in_head and n in _HOME:
            furniture = True
        elif in_head and n in seen_head and len(n) >= 6:
            furniture = True  # the title printed twice above the body
        if furniture:
            drop[i] = True
        elif in_head:
            seen_head.add(n)
        i += 1

    if crumb_at is not None:
        # site header above the breadcrumb: site name, column name (short, not a title)
        before = [k for k in range(crumb_at) if norm[k] and not drop[k]]
        if len(before) <= 5 and all(
            len(norm[k]) <= 20
            and not _SENTENCE_PUNCT.search(norm[k])
            and not (len(norm[k]) >= 8 and re.search(r"报告|情况", norm[k]))
            for k in before
        ):
            for k in before:
                drop[k] = True

    out: list[str] = []
    blank = False
    for i, line in enumerate(lines):
        if drop[i]:
            continue
        if not line:
            blank = bool(out)
            continue
        if blank:
            out.append("")
            blank = False
        out.append(line)
    return "\n".join(out)


def _heading_like(n: str) -> bool:
    return (
        4 <= len(n) <= 80
        and not n.endswith((":", ",", "。", ";", ","))
        and "。" not in n
        and not _HEADING_START.match(n)
        and bool(re.search(r"报告|情况|工作|法治政府建设|总结", n))
    )


def _find_title(text: str) -> str | None:
    lines = text.split("\n")
    idx = [i for i, ln in enumerate(lines) if ln.strip()][:15]
    for pos, i in enumerate(idx):
        n = normalize(lines[i])
        if _is_body_line(n):
            break
        if not _heading_like(n) or _is_breadcrumb(n, True):
            continue
        title = lines[i].strip()
        # a title wrapped over lines, or preceded by its issuer(s) on their own lines
        issuers: list[str] = []
        k = i - 1
        while k >= 0 and lines[k].strip() and len(issuers) < 3:
            prev = lines[k].strip()
            pn = normalize(prev)
            if len(pn) > 30 or _SENTENCE_PUNCT.search(pn) or pn.endswith(":"):
                break
            if pn.startswith("关于") and not issuers:
                title = prev + title
                break
            if not _ISSUER_SUFFIX.search(pn):
                break
            issuers.insert(0, prev)
            k -= 1
        if issuers:
            title = " ".join([*issuers, title])
        if pos + 1 < len(idx) and title.startswith("关于") and idx[pos + 1] == i + 1:
            nxt = lines[i + 1].strip()
            nn = normalize(nxt)
            if (
                len(nn) <= 30
                and nn.endswith(("报告", "情况"))
                and not normalize(title).endswith(("报告", "情况"))
            ):
                title += nxt
        return _TAG_PREFIX.sub("", title).strip() or None
    return None


def clean_text(raw: str) -> tuple[str, PageMeta]:
    """Remove page furniture and converter noise; return the text and the page's metadata.

    Repeated until nothing changes, so ``clean_text(clean_text(x)[0])[0] == clean_text(x)[0]``.
    The site clock (``今天是…``) is never taken as the publication date.
    """
    meta = _Meta()
    text = raw if isinstance(raw, str) else str(raw)
    for _ in range(20):
        pass_meta = _Meta()
        new = _clean_pass(text, pass_meta)
        meta.merge(pass_meta)
        if new == text:
            break
        text = new
    title = meta.get("title") or _find_title(text)
    return text, PageMeta(
        title=title,
        published=meta.get("published"),
        source=meta.get("source"),
        index_no=meta.get("index_no"),
        issuer=meta.get("issuer"),
        doc_no=meta.get("doc_no"),
    )


# ---------------------------------------------------------------------------------------------
# One file → Report


def _report_id(path: Path, root: Path | None) -> str:
    if root is not None:
        candidates = (  # made one at a time: the first usually answers
            lambda: (path, root),
            lambda: (path.absolute(), root.absolute()),
            lambda: (path.resolve(), root.resolve()),
        )
        for pair in candidates:
            p, r = pair()
            try:
                return p.relative_to(r).as_posix()
            except ValueError:
                continue
    return path.as_posix()


def ingest_file(
    path: str | Path,
    root: str | Path | None = None,
    manifest: dict[Path, ManifestEntry] | None = None,
) -> Report:
    """Read, decode, extract and clean one file into a :class:`Report`.

    ``id`` is the manifest URL when there is one, else the path relative to ``root`` (posix),
    else the path; ``version`` is the sha256 of the cleaned text. Every failure raises
    :class:`IngestError` naming the file.
    """
    p = Path(path)
    where = str(path)
    try:
        raw, fmt, enc = extract_raw(p)
        text, meta = clean_text(raw)
        if not text.strip():
            raise IngestError(where, "no text left after removing page furniture")
        entry = manifest.get(p.resolve()) if manifest else None
        url = entry.url if entry else None
        rid = url or _report_id(p, Path(root) if root is not None else None)
        warnings: list[str] = []
        replaced = text.count("\ufffd")
        if replaced:
            warnings.append(f"{replaced} undecodable character(s) replaced by U+FFFD")
        tail = text.rstrip()[-1:]
        if (
            fmt in ("txt", "html")
            and tail
            and tail not in '。!?!?”’")】」』…'
            and not tail.isdigit()
            and tail != "日"
        ):
            warnings.append("text ends mid-sentence (truncated?)")
        return Report(
            id=rid,
            version=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            source=where,
            text=text,
            url=url,
            fetched_at=entry.fetched_at if entry else None,
            title=meta.title,
            format=fmt,
            encoding=enc,
            meta=meta,
            published=meta.published,
            warnings=warnings,
        )
    except IngestError as e:
        if e.path != where:
            raise IngestError(where, e.reason) from e
        raise
    except MemoryError as e:
        raise IngestError(where, "out of memory while reading the file") from e
    except Exception as e:
        raise IngestError(where, f"{type(e).__name__}: {e}") from e
