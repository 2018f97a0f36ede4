"""Shared fixtures: format samples made at test time from the seeds (nothing binary is checked in).

``samples`` writes, into the test's tmp_path, one file per format wrapping the same seed report:
a GB18030 .txt, a UTF-8-with-BOM .txt, an HTML page with realistic page furniture (declared
gb2312, encoded GB18030, as many government sites do), a .docx (python-docx) with an
info-disclosure table, a .pdf with a text layer (reportlab, CJK CID font STSong-Light: no font
file needed) with page numbers, and a scanned-like .pdf with no text layer.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS = ROOT / "tests" / "data" / "corpus"

SEED_FILE = SEEDS / "000_4ee9ce8ba8ed3195.txt"
SEED_TITLE = "盖州市2024年法治政府建设工作报告"


def seed_paragraphs(path: Path = SEED_FILE) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_paras() -> list[str]:
    return seed_paragraphs()


def make_gb18030_txt(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("gb18030"))
    return path


def make_bom_txt(path: Path, text: str) -> Path:
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    return path


def make_html(path: Path, paras: list[str]) -> Path:
    body = "\n".join(f'<p style="text-indent:2em">\u3000\u3000{html.escape(p)}</p>' for p in paras)
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{SEED_TITLE}_盖州市人民政府</title>
<meta name="SiteName" content="盖州市人民政府">
<meta name="ColumnName" content="法治政府建设">
<meta name="ArticleTitle" content="{SEED_TITLE}">
<meta name="PubDate" content="2025-03-15 10:20">
<meta name="ContentSource" content="盖州市司法局">
<style>.TRS_Editor p{{line-height:2}}</style>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
</head>
<body>
<div class="top">今天是:2025年3月18日 星期二 农历二月十九</div>
<header><div class="logo">盖州市人民政府</div></header>
<nav><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li>网上办事大厅</li></ul></nav>
<div class="crumb">您所在的位置:<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 法治政府建设</div>
<table class="xxgk"><tr><td>索引号:</td><td>11210881MB0123456X/2025-00012</td><td>发布机构:</td><td>盖州市人民政府办公室</td></tr>
<tr><td>文号:</td><td>盖政发〔2025〕3号</td><td>公开日期:</td><td>2025-03-15</td></tr></table>
<div class="article">
<h1>{SEED_TITLE}</h1>
<div class="info">发布时间:2025-03-15 10:20 &nbsp; 来源:盖州市司法局 &nbsp; 浏览次数:<span id="hits">1024</span> &nbsp; 【字体:<a>大</a> <a>中</a> <a>小</a>】</div>
<div class="TRS_Editor">
{body}
</div>
<div class="share">分享到:<a>微信</a> <a>微博</a></div>
<div class="tools"><a href="javascript:window.print()">打印本页</a> | <a href="javascript:window.close()">关闭窗口</a></div>
<div class="qr">扫一扫在手机打开当前页面</div>
</div>
<footer>主办单位:盖州市人民政府办公室 网站标识码:2108810001 辽ICP备12345678号</footer>
</body></html>
"""
    path.write_bytes(page.encode("gb18030"))
    return path


def make_docx(path: Path, paras: list[str]) -> Path:
    import docx

    doc = docx.Document()
    doc.core_properties.title = SEED_TITLE
    meta = doc.add_table(rows=2, cols=4)
    for r, cells in enumerate(
        [["索引号", "11210881MB0123456X/2025-00012", "发布机构", "盖州市人民政府办公室"],
         ["发文日期", "2025年03月15日", "文号", "无"]]
    ):  # fmt: skip
        for c, value in enumerate(cells):
            meta.cell(r, c).text = value
    doc.add_heading(SEED_TITLE, level=1)
    for p in paras:
        doc.add_paragraph(p)
    table = doc.add_table(rows=2, cols=3)
    for c, value in enumerate(["指标", "2023年", "2024年"]):
        table.cell(0, c).text = value
    for c, value in enumerate(["行政复议案件", "112件", "128件"]):
        table.cell(1, c).text = value
    doc.save(path)
    return path


def make_pdf(path: Path, paras: list[str]) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    width, height = A4
    margin, size, leading = 56, 11, 18
    usable = width - 2 * margin
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle(SEED_TITLE)
    page = 1
    y = height - margin

    def new_page() -> None:
        nonlocal page, y
        c.setFont(font, 9)
        c.drawCentredString(width / 2, 30, f"- {page} -")
        c.showPage()
        page += 1
        y = height - margin

    c.setFont(font, 16)
    c.drawCentredString(width / 2, y, SEED_TITLE)
    y -= 2 * leading
    for p in paras:
        line, lines = "", []
        indent = 2 * size
        for ch in p:
            avail = usable - (indent if not lines else 0)
            if pdfmetrics.stringWidth(line + ch, font, size) > avail:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
        for k, text in enumerate(lines):
            if y < margin + leading:
                new_page()
            c.setFont(font, size)
            c.drawString(margin + (indent if k == 0 else 0), y, text)
            y -= leading
    new_page()
    c.save()
    return path


def make_scanned_pdf(path: Path, pages: int = 2) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        for k in range(30):  # grey bars where the scanned lines would be
            c.setFillGray(0.3 + 0.02 * (k % 5))
            c.rect(56, 780 - 22 * k, 480 - 7 * (k % 4), 9, stroke=0, fill=1)
        c.showPage()
    c.save()
    return path


@pytest.fixture
def samples(tmp_path: Path, seed_text: str, seed_paras: list[str]) -> dict[str, Path]:
    """One file per format, each wrapping seed 000."""
    return {
        "gb18030_txt": make_gb18030_txt(tmp_path / "gb18030.txt", seed_text),
        "bom_txt": make_bom_txt(tmp_path / "bom.txt", seed_text),
        "html": make_html(tmp_path / "page.html", seed_paras),
        "docx": make_docx(tmp_path / "report.docx", seed_paras),
        "pdf": make_pdf(tmp_path / "report.pdf", seed_paras),
        "scanned_pdf": make_scanned_pdf(tmp_path / "scanned.pdf"),
    }
