"""``kg eval``: score extraction against hand-made expected facts, as FACTS.md describes.

Expected files (``tests/data/expected_facts/*.json``, one per annotated text, written by
reading the texts) name their ``source``; the text is looked up in the folders given (seeds/,
tests/data/corpus/). Scores per kind: precision, recall, F1 (programs, agencies, documents,
metrics), document role accuracy, metric subject accuracy, reporter and year accuracy, and the
offset invariant.

>>> norm("發(fā)展“首违不罚”")
'发展首违不罚'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.textnorm import normalize

__all__ = ["Score", "evaluate", "load_expected", "norm", "score_report"]

_GLOSS = re.compile(r"(?<=[\u3400-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüv]+\)")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_REPORTER_SUFFIX = re.compile(r"(?:人民政府|政府|党工委|管委会|办事处)$")
_MULT = {"万": 1e4, "亿": 1e8, "千": 1e3}


def norm(s: str | None) -> str:
    """FACTS.md normalisation: NFKC, traditional → simplified, pinyin glosses, punctuation."""
    if not s:
        return ""
    s = _GLOSS.sub("", s)
    s = normalize(s)
    return _PUNCT.sub("", s)


def _norm_reporter(s: str | None) -> str:
    s = norm(s)
    prev = None
    while s and prev != s:
        prev, s = s, _REPORTER_SUFFIX.sub("", s)
    return s


def _contains(a: str, b: str) -> bool:
    """a contains b or b contains a, two characters at least."""
    if not a or not b:
        return False
    short = a if len(a) <= len(b) else b
    return len(short) >= 2 and (a in b or b in a)


@dataclass
class Score:
    """Counts summed over reports."""

    right: int = 0  # right groups / matched facts
    counted: int = 0  # groups / facts (optional-only ones excluded)
    found: int = 0  # expected items found
    expected: int = 0
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.right / self.counted if self.counted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.right += other.right
        self.counted += other.counted
        self.found += other.found
        self.expected += other.expected
        for k, v in other.extra.items():
            self.extra[k] = self.extra.get(k, 0) + v

    def to_dict(self) -> dict[str, Any]:
        d = {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "right": self.right,
            "counted": self.counted,
            "found": self.found,
            "expected": self.expected,
        }
        d.update(self.extra)
        return d


# --------------------------------------------------------------------------- grouped kinds


def _score_groups(
    facts: list[dict], expected: list[dict], optional: list[dict], key: str
) -> tuple[Score, list]:
    groups: dict[str, list[dict]] = {}
    for f in facts:
        groups.setdefault(norm(f.get(key) or f.get("label")), []).append(f)

    def names(item: dict) -> list[str]:
        return [
            n
            for n in (
                norm(item.get("mention")),
                norm(item.get("canonical")),
                norm(item.get("title")),
            )
            if n
        ]

    exp_names = [names(e) for e in expected]
    opt_names = [names(e) for e in optional]
    sc = Score(expected=len(expected))
    found = [False] * len(expected)
    wrong: list[str] = []
    for label, members in groups.items():
        cands = {label, *(norm(m.get("mention")) for m in members)}
        hit = [
            i for i, ns in enumerate(exp_names) if any(_contains(c, n) for c in cands for n in ns)
        ]
        if hit:
            sc.right += 1
            sc.counted += 1
            for i in hit:
                found[i] = True
        elif any(_contains(c, n) for c in cands for ns in opt_names for n in ns):
            continue  # optional: neither rewarded nor penalised
        else:
            sc.counted += 1
            wrong.append(members[0].get(key) or members[0].get("label"))
    sc.found = sum(found)
    missed = [expected[i].get("canonical") or expected[i].get("title") or expected[i].get("mention")
              for i, f in enumerate(found) if not f]  # fmt: skip
    return sc, [("wrong", w) for w in wrong] + [("missed", m) for m in missed]


def _score_roles(facts: list[dict], expected: list[dict]) -> tuple[int, int]:
    ordered = sorted(facts, key=lambda f: f.get("start", 0))
    right = total = 0
    for e in expected:
        t = norm(e.get("title"))
        # the first fact with this very title; else the first whose title contains it or is
        # contained in it (an outer title must not take the role of a title nested inside it)
        first = next(
            (f for f in ordered if norm(f.get("title") or f.get("label")) == t), None
        ) or next(
            (f for f in ordered if _contains(norm(f.get("title") or f.get("label")), t)), None
        )
        if first is None:
            continue
        total += 1
        right += first.get("role") == e.get("role")
    return right, total


# --------------------------------------------------------------------------- metrics


def _base(value: Any, unit: str | None) -> tuple[float | None, str]:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None, unit or ""
    u = normalize(unit or "").strip()
    if u in ("%", "个百分点"):
        return v, u
    for ch, m in _MULT.items():
        if u.startswith(ch) and len(u) > 1:
            return v * m, u[1:]
        if u == ch:
            return v * m, ""
    return v, u


def _spans(text: str, mention: str) -> list[tuple[int, int]]:
    out, i = [], text.find(mention)
    while mention and i >= 0:
        out.append((i, i + len(mention)))
        i = text.find(mention, i + 1)
    return out


def _bigram_share(a: str, b: str) -> float:
    pa = {a[i : i + 2] for i in range(len(a) - 1)}
    pb = {b[i : i + 2] for i in range(len(b) - 1)}
    if not pa or not pb:
        return 1.0 if a == b and a else 0.0
    return len(pa & pb) / min(len(pa), len(pb))


def _metric_match(f: dict, e: dict, text: str) -> bool:
    fv, fu = _base(f.get("value"), f.get("unit"))
    ev, eu = _base(e.get("value"), e.get("unit"))
    if fv is None or ev is None or abs(fv - ev) > 1e-6 * max(1.0, abs(ev)):
        return False
    if norm(fu) == norm(eu):
        return True
    fs, fe = f.get("start", -1), f.get("end", -1)
    return any(s < fe and fs < e_ for s, e_ in _spans(text, e.get("mention", "")))


def _score_metrics(
    facts: list[dict], expected: list[dict], optional: list[dict], text: str
) -> tuple[Score, list]:
    sc = Score(expected=len(expected))
    used = [False] * len(expected)
    subj_right = subj_total = 0
    notes: list = []
    for f in sorted(facts, key=lambda x: x.get("start", 0)):
        i = next(
            (i for i, e in enumerate(expected) if not used[i] and _metric_match(f, e, text)), None
        )
        if i is not None:
            used[i] = True
            sc.right += 1
            sc.counted += 1
            subj_total += 1
            fs, es = norm(f.get("subject")), norm(expected[i].get("subject"))
            ok = _contains(fs, es) or _bigram_share(fs, es) >= 0.5
            subj_right += ok
            if not ok:
                notes.append(("subject", f"{f.get('subject')} ≠ {expected[i].get('subject')}"))
        elif any(_metric_match(f, o, text) for o in optional):
            continue
        else:
            sc.counted += 1
            notes.append(("wrong", f.get("mention")))
    sc.found = sum(used)
    notes += [("missed", expected[i].get("mention")) for i, u in enumerate(used) if not u]
    sc.extra = {"subject_right": subj_right, "subject_total": subj_total}
    return sc, notes


# --------------------------------------------------------------------------- reporter


def reporter_right(report: dict, expected: dict) -> bool:
    """FACTS.md: name, last path element or department is the expected name or ends with it."""
    en, efull, edept = (
        _norm_reporter(expected.get(k)) for k in ("name", "full_name", "department")
    )
    j = report.get("jurisdiction") or {}
    for g in (_norm_reporter(j.get("name")), _norm_reporter((j.get("path") or [""])[-1]),
              _norm_reporter(report.get("department"))):  # fmt: skip
        if not g:
            continue
        if g == en or (en and g.endswith(en)) or (edept and (g == edept or g.endswith(edept))):
            return True
        if efull and efull.endswith(g) and len(g) >= len(en):
            return True
    return False


def score_report(out: dict, exp: dict) -> dict[str, Any]:
    """Score one ``kg extract`` object against one expected-facts object."""
    report = out.get("report") or {}
    text = report.get("text") or ""
    facts = out.get("facts") or []
    by_kind: dict[str, list[dict]] = {}
    for f in facts:
        by_kind.setdefault(f.get("kind"), []).append(f)
    res: dict[str, Any] = {"source": exp.get("source"), "details": {}}
    for kind, key, exp_key, opt_key in (
        ("program", "label", "programs", "programs_optional"),
        ("agency", "label", "agencies", None),
        ("document", "title", "documents", None),
    ):
        sc, notes = _score_groups(
            by_kind.get(kind, []),
            exp.get(exp_key) or [],
            exp.get(opt_key) or [] if opt_key else [],
            key,
        )
        res[kind] = sc
        res["details"][kind] = notes
    res["role"] = _score_roles(by_kind.get("document", []), exp.get("documents") or [])
    sc, notes = _score_metrics(
        by_kind.get("metric", []), exp.get("metrics") or [], exp.get("metrics_optional") or [], text
    )
    res["metric"] = sc
    res["details"]["metric"] = notes
    rep = exp.get("reporter") or {}
    res["reporter"] = None if not rep.get("name") else reporter_right(report, rep)
    res["year"] = None if exp.get("year") is None else report.get("year") == exp.get("year")
    res["offsets_ok"] = all(text[f["start"] : f["end"]] == f["mention"] for f in facts)
    return res


# --------------------------------------------------------------------------- driver


def load_expected(folder: Path) -> list[dict]:
    files = sorted(Path(folder).glob("*.json"))
    out = []
    for f in files:
        try:
            out.append(json.loads(f.read_text(encoding="utf-8")))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{f}: invalid JSON: {exc}") from exc
    return out


def evaluate(
    expected_dir: Path,
    text_dirs: Iterable[Path],
    manifest: Path | None = None,
) -> dict[str, Any]:
    """Run the pipeline on every annotated text and score it; returns totals and per file."""
    from kg.extract import process, to_jsonl

    expected = load_expected(expected_dir)
    dirs = [Path(d) for d in text_dirs]
    paths: list[Path] = []
    for e in expected:
        src = Path(e["source"]).name
        hit = next((d / src for d in dirs if (d / src).exists()), None)
        if hit is None:
            raise FileNotFoundError(
                f"{expected_dir}: no text for source {e['source']!r} in {', '.join(map(str, dirs))}"
            )
        paths.append(hit)
    totals = {k: Score() for k in ("program", "agency", "document", "metric")}
    role = [0, 0]
    rep = [0, 0]
    year = [0, 0]
    offsets = True
    per_file = []
    for e, item in zip(expected, process(paths, manifest), strict=True):
        out = json.loads(to_jsonl(item))
        r = score_report(out, e)
        for k in totals:
            totals[k].add(r[k])
        role[0] += r["role"][0]
        role[1] += r["role"][1]
        if r["reporter"] is not None:
            rep[0] += r["reporter"]
            rep[1] += 1
        if r["year"] is not None:
            year[0] += r["year"]
            year[1] += 1
        offsets &= r["offsets_ok"]
        per_file.append(r)
    m = totals["metric"]
    return {
        "files": len(expected),
        "program": totals["program"].to_dict(),
        "agency": totals["agency"].to_dict(),
        "document": totals["document"].to_dict(),
        "document_role": round(role[0] / role[1], 3) if role[1] else None,
        "metric": m.to_dict(),
        "metric_subject": round(m.extra.get("subject_right", 0) / m.extra["subject_total"], 3)
        if m.extra.get("subject_total")
        else None,
        "reporter": round(rep[0] / rep[1], 3) if rep[1] else None,
        "year": round(year[0] / year[1], 3) if year[1] else None,
        "offsets_ok": offsets,
        "per_file": [
            {
                "source": r["source"],
                **{k: r[k].to_dict() for k in ("program", "agency", "document", "metric")},
                "reporter": r["reporter"],
                "year": r["year"],
                "details": r["details"],
            }
            for r in per_file
        ],
    }
