"""Negation: does the sentence deny the fact it mentions? (未发生行政复议被纠错)

A negation cue (未, 没有, 无, 不存在, 杜绝 …) shortly before the mention, within the same clause,
negates it. Cues that are part of ordinary words (未来, 无缝, 无差别, 不断, 无偿) are not
negations. The window is the clause: it stops at the nearest comma or enumeration comma.

>>> s = "全年未发生行政复议被纠错案件。"
>>> negated(s, s.index("行政复议"), s.index("案件"))
True
>>> s = "推行“无差别综合窗口”改革。"
>>> negated(s, s.index("无差别"), s.index("改革"))
False
"""

from __future__ import annotations

import re

__all__ = ["negated"]

_CUE = re.compile(
    r"(?:未(?!来|成年|经)|没有|并无|(?<![无])无(?!缝|差别|偿|纸|人|障碍|感|证明|需|论|形|限|疑|条件)|不存在|杜绝|从未|尚未|未曾|零)"
)
_CLAUSE_END = re.compile(r".*[,，;；。!！?？、]", re.S)  # greedy: up to the last clause end


def negated(sentence: str, start: int, end: int, window: int = 12) -> bool:
    """True when a negation cue precedes ``sentence[start:end]`` in its clause (≤ ``window`` chars)."""
    lo = max(0, start - window)
    before = sentence[lo:start]
    last = _CLAUSE_END.match(before)
    cut = last.end() if last else 0  # just after the last clause end, as max(finditer ends)
    return bool(_CUE.search(before[cut:]))
