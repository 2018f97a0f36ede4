"""Sentences and sections: the one segmentation every later component reads.

Sentences end at 。！？；!? or a line break. Headings (一、… / （一）… / 1. … / short unpunctuated
lines) open sections; a heading's cue words classify it as achievements, problems or plans,
and an unclassified top-level heading inside the body counts as achievements (the body of a
法治政府建设 report is its record of work). Text before the first heading is "other" (the
title block and the opening summary). A sentence that itself opens with a plan cue (下一步,
今后, 2025年将 …) is a plan wherever it stands.

>>> from kg.model import Report
>>> from extractors.pipeline import Runner
>>> r = Runner(["segment"]).run(Report(id="r", version="v", source="r", text="一、主要举措和成效\\n推行首违不罚。\\n二、存在的问题\\n执法不规范。"))
>>> [(s.text, s.section) for s in r.sentences]
[('一、主要举措和成效', 'achievements'), ('推行首违不罚。', 'achievements'), ('二、存在的问题', 'problems'), ('执法不规范。', 'problems')]
"""

from __future__ import annotations

import re

from extractors.pipeline import Doc, Sentence, component, sections_of

__all__ = ["classify_heading", "heading_level", "segment", "split_sentences"]

_SENT_END = re.compile(r"[。！？!?；;]+[”’」』\"']?|\n+")
# top-level: 一、  第一部分  一是? no (一是 is an enumeration inside a paragraph)
_H1 = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|第[一二三四五六七八九十]{1,3}部分)")
_H2 = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}\s*[、.．](?!\d))")

_PROBLEMS = re.compile(
    r"存在(?:的)?(?:主要)?(?:问题|不足|短板)|问题(?:和|与|及)不足|不足(?:和|与|及)(?:问题|原因)|"
    r"不足之处|薄弱环节|短板弱项|差距和不足|困难和问题|问题及原因|存在的差距"
)
_PLANS = re.compile(
    r"下一步|今后|工作(?:打算|安排|计划|思路|设想)|(?:主要|重点)(?:安排|打算)|努力方向|"
    r"展望|(?:20\d\d|明)年(?:度)?(?:的)?(?:主要)?(?:工作)?(?:计划|打算|安排|思路|重点|目标|展望)"
)
_ACHIEVEMENTS = re.compile(
    r"举措|成效|成绩|工作(?:开展)?情况|主要(?:工作|做法)|进展|做法|完成情况|履行.*职责|推进.*情况"
)
_PLAN_SENTENCE = re.compile(
    r"^\s*(?:下一步|今后|未来|(?:20\d\d|明)年[,，]?\s*(?:我[市县区镇乡局省]|全[市县区镇乡省])?将)"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (whitespace-trimmed, never empty)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENT_END.finditer(text):
        end = m.end() if text[m.start()] != "\n" else m.start()
        _add_span(text, pos, end, spans)
        pos = m.end()
    _add_span(text, pos, len(text), spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def heading_level(sentence: str) -> int:
    """1 for a top-level heading (一、…), 2 for a subheading ((一)… / 1.…), else 0."""
    if _H1.match(sentence):
        return 1
    if _H2.match(sentence):
        return 2
    return 0


def classify_heading(heading: str) -> str | None:
    """achievements / problems / plans from a heading's cue words, None if it has none."""
    if _PROBLEMS.search(heading):
        return "problems"
    if _PLANS.search(heading):
        return "plans"
    if _ACHIEVEMENTS.search(heading):
        return "achievements"
    return None


@component("segment", 1, provides="sentences")
def segment(doc: Doc) -> None:
    """Split the report into sentences and assign each its section."""
    norm = doc.norm
    section = "other"
    top = "other"
    sentences: list[Sentence] = []
    for i, (vs, ve) in enumerate(split_sentences(norm)):
        s, e = doc.view.span(vs, ve)
        text = norm[vs:ve]
        level = heading_level(text)
        head = text[:60]
        if level == 1:
            top = classify_heading(head) or "achievements"
            section = top
        elif level == 2:
            kind = classify_heading(head)
            section = kind if kind in ("problems", "plans") else top
        sec = "plans" if section != "plans" and _PLAN_SENTENCE.match(text) else section
        sentences.append(Sentence(i, s, e, doc.text[s:e], sec))
    doc.sentences = sentences
    doc.report.sections = sections_of(sentences)
    doc.annotations["sentences"] = len(sentences)
    return None
