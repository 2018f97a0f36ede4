"""kg.dedup: signatures, the threshold, canonical choice and LSH linking."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import opencc
import pytest

from kg import dedup
from kg.dedup import (
    NUM_PERM,
    THRESHOLD,
    find_duplicates,
    is_gov_url,
    is_near_duplicate,
    link_duplicates,
    signature,
    similarity,
)
from kg.ingest import clean_text
from kg.model import Report

from .conftest import CORPUS, SEEDS

S2T = opencc.OpenCC("s2t")
SEED_FILES = sorted(SEEDS.glob("*.txt"))
HEAD = (
    "今天是:2025年3月18日 星期二 农历二月十九\n当前位置:首页 > 政务公开 > 法治政府建设\n"
    "发布时间:2025-03-15 10:20 来源:司法局 浏览次数:1024 【字体:大 中 小】\n"
)
TAIL = (
    "\n扫一扫在手机打开当前页面\n打印本页 | 关闭窗口\n上一篇:关于开展2024年度普法依法治理工作的通知\n"
    "下一篇:2024年政府信息公开工作年度报告\n主办单位:市人民政府办公室 网站标识码:2108810001 辽ICP备12345678号\n"
)


def cleaned(path: Path) -> str:
    return clean_text(path.read_text(encoding="utf-8"))[0]


@pytest.fixture(scope="module")
def seeds() -> list[str]:
    return [cleaned(p) for p in SEED_FILES]


def truncated(text: str, share: float = 0.9) -> str:
    return text[: int(len(text) * share)]


def next_year(a: str, b: str) -> str:
    """A simulated next-year report of the reporter of ``a``: its opening paragraph (years
    bumped), its headings and its closing paragraph around a different body (``b``'s)."""
    la, lb = a.split("\n"), b.split("\n")
    opening = la[0].replace("2024", "2025").replace("2023", "2024").replace("2022", "2023")
    headings = [ln for ln in la if len(ln) < 40]
    return "\n".join([opening, *headings, *lb[1:-1], la[-1]])


VARIANTS = {
    "traditional": lambda t: S2T.convert(t),
    "furniture": lambda t: HEAD + t + TAIL,
    "truncated_10pct": truncated,
    "traditional_truncated_furniture": lambda t: HEAD + S2T.convert(truncated(t)) + TAIL,
    "reflowed_lines": lambda t: "\n".join(t[i : i + 38] for i in range(0, len(t), 38)),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("index", range(len(SEED_FILES)))
def test_copies_are_near_duplicates(seeds, index, variant):
    text = seeds[index]
    other = VARIANTS[variant](text)
    sim = similarity(signature(text), signature(other))
    assert sim >= 0.75, sim  # well above THRESHOLD
    assert is_near_duplicate(text, other)


def test_different_reports_are_not(seeds):
    texts = seeds + [cleaned(p) for p in sorted(CORPUS.glob("*.txt"))]
    sigs = [signature(t) for t in texts]
    worst = max(
        similarity(sigs[i], sigs[j]) for i in range(len(sigs)) for j in range(i + 1, len(sigs))
    )
    assert worst < 0.2, worst  # measured: 0.10 (two corpus openings sharing boilerplate)


@pytest.mark.parametrize("i", range(len(SEED_FILES)))
def test_same_reporter_other_year_is_not(seeds, i):
    j = (i + 1) % len(seeds)
    sim = similarity(signature(seeds[i]), signature(next_year(seeds[i], seeds[j])))
    assert sim < 0.3, sim  # measured ≤ 0.11
    assert not is_near_duplicate(seeds[i], next_year(seeds[i], seeds[j]))


def test_threshold_sits_in_the_gap():
    assert 0.3 < THRESHOLD < 0.75


def test_signature_shape_and_empty():
    sig = signature("法治政府建设")
    assert sig.shape == (NUM_PERM,) and sig.dtype == np.uint32
    assert similarity(signature(""), signature("")) == 0.0
    assert similarity(signature("。,  \n"), sig) == 0.0  # only punctuation: empty
    assert similarity("法治", "法治") == 1.0  # shorter than a shingle
    assert similarity(sig, sig) == 1.0
    with pytest.raises(ValueError):
        similarity(sig, sig[:10])


def test_signature_ignores_punctuation_width_and_script():
    a = "2024年,盖州市坚持以习近平法治思想为指引,全面推进法治政府建设。"
    b = "2024年，盖州市堅持以習近平法治思想爲指引，\n全面推進法治政府建設！"
    assert np.array_equal(signature(a), signature(b))


def test_signature_is_stable_across_processes(seeds):
    """No use of hash(): a fresh interpreter with another hash seed gives the same signature."""
    code = (
        "import sys; from kg.dedup import signature; "
        "sys.stdout.write(signature(sys.stdin.read()).tobytes().hex())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        input=seeds[0],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
        cwd=str(Path(__file__).resolve().parent.parent),
    ).stdout
    assert out == signature(seeds[0]).tobytes().hex()


@pytest.mark.parametrize(
    ("url", "gov"),
    [
        ("http://www.tjjh.gov.cn/a.html", True),
        ("https://sft.hubei.gov.cn/x", True),
        ("gov.cn/x", True),
        ("http://shandong.chinagdp.org/tzgg/201804/893.html", False),
        ("https://basexf.com/qdsf/fzzfjs/", False),
        ("http://govcn.example.com/", False),
        (None, False),
        ("", False),
    ],
)
def test_is_gov_url(url, gov):
    assert is_gov_url(url) is gov


def _report(rid: str, text: str, url: str | None = None) -> Report:
    return Report(id=rid, version="v", source=rid, text=text, url=url)


def test_link_prefers_government_source(seeds):
    text = seeds[2]
    mirror = _report(
        "http://m.dzhzs.com/article/info/3320", text, "http://m.dzhzs.com/article/info/3320"
    )
    gov = _report(
        "http://www.jining.gov.cn/a.html", truncated(text, 0.95), "http://www.jining.gov.cn/a.html"
    )
    other = _report("other.txt", seeds[3])
    reports = [mirror, other, gov]
    link_duplicates(reports)
    assert gov.duplicate_of is None and other.duplicate_of is None
    assert mirror.duplicate_of == gov.id


def test_link_prefers_simplified_then_less_noise_then_id(seeds):
    text = seeds[0]
    trad = _report("a_traditional.txt", S2T.convert(text))
    noisy = _report("b_noisy.txt", text.replace("。", "?", 5))
    clean = _report("z_clean.txt", text)
    also_clean = _report("y_clean.txt", text)
    reports = [trad, noisy, clean, also_clean]
    link_duplicates(reports)
    assert also_clean.duplicate_of is None  # lexicographically first of the clean ones
    assert {r.duplicate_of for r in (trad, noisy, clean)} == {"y_clean.txt"}


def test_link_is_deterministic_and_order_independent(seeds):
    def build() -> list[Report]:
        out = []
        for k, t in enumerate(seeds):
            out.append(_report(f"s{k}.txt", t))
            out.append(_report(f"t{k}.txt", S2T.convert(t)))
        return out

    first = build()
    link_duplicates(first)
    expected = {r.id: r.duplicate_of for r in first}
    assert expected == {
        **{f"s{k}.txt": None for k in range(len(seeds))},
        **{f"t{k}.txt": f"s{k}.txt" for k in range(len(seeds))},
    }
    for seed in range(3):
        again = build()
        random.Random(seed).shuffle(again)
        again[0].duplicate_of = "stale"
        link_duplicates(again)
        assert {r.id: r.duplicate_of for r in again} == expected


def test_link_against_existing_reports(seeds):
    existing = [
        (
            "http://www.gaizhou.gov.cn/a.html",
            signature(seeds[0]),
            "http://www.gaizhou.gov.cn/a.html",
        ),
        ("old.txt", signature(seeds[1]), None),
    ]
    new_mirror = _report("mirror.txt", HEAD + S2T.convert(seeds[0]) + TAIL)
    new_other = _report("new.txt", seeds[3])
    gov_copy_of_old = _report("http://www.zs.gov.cn/b", seeds[1], "http://www.zs.gov.cn/b")
    link_duplicates([new_mirror, new_other, gov_copy_of_old], existing)
    assert new_mirror.duplicate_of == "http://www.gaizhou.gov.cn/a.html"
    assert new_other.duplicate_of is None
    assert gov_copy_of_old.duplicate_of is None  # it is the better source ...
    items = [
        ("old.txt", signature(seeds[1]), None, None),
        ("http://www.zs.gov.cn/b", signature(seeds[1]), "http://www.zs.gov.cn/b", seeds[1]),
    ]
    assert find_duplicates(items) == {
        "old.txt": "http://www.zs.gov.cn/b"
    }  # ... so the old one should point to it


def test_signature_encoding_round_trip_and_canonical_links(seeds):
    sig = signature(seeds[0])
    enc = dedup.encode_signature(sig)
    assert enc.startswith("mh1:") and enc.isascii() and len(enc) == 688
    assert np.array_equal(dedup.decode_signature(enc), sig)
    for bad in ("xx", "mh1:!!", "mh1:" + "A" * 8):
        with pytest.raises(ValueError):
            dedup.decode_signature(bad)
    stored = [
        ("http://mirror.example.com/a", enc, "http://mirror.example.com/a"),
        (
            "http://www.gaizhou.gov.cn/a",
            dedup.encode_signature(signature(S2T.convert(seeds[0]))),
            "http://www.gaizhou.gov.cn/a",
        ),
        ("other", signature(seeds[1]), None),
    ]
    assert dedup.canonical_links(stored) == {
        "http://mirror.example.com/a": "http://www.gaizhou.gov.cn/a"
    }


def test_lsh_compares_few_pairs():
    """Distinct texts rarely share a band: candidate pairs stay far below N²/2."""
    pool = "".join(cleaned(p) for p in [*SEED_FILES, *sorted(CORPUS.glob("*.txt"))])
    pieces = [pool[i : i + 300] for i in range(0, len(pool) - 300, 300)]
    copies = [S2T.convert(p) for p in pieces[:10]]
    sigs = [signature(t) for t in pieces + copies]
    pairs = dedup._candidate_pairs(sigs)
    n = len(sigs)
    assert n > 150
    assert len(pairs) < n  # versus n * (n - 1) / 2 (≈ 15,000) for all pairs
    for k in range(10):  # every planted copy is found
        assert (k, len(pieces) + k) in pairs
    items = [(f"p{k:04d}", s, None, None) for k, s in enumerate(sigs)]
    links = find_duplicates(items)
    assert links == {f"p{len(pieces) + k:04d}": f"p{k:04d}" for k in range(10)}
