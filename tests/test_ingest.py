"""kg.ingest: formats, decoding, failures, page furniture, metadata, manifests, inputs."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.ingest import (
    SUPPORTED_SUFFIXES,
    clean_text,
    decode_bytes,
    expand_inputs,
    extract_raw,
    ingest_file,
    load_manifest,
)
from kg.model import IngestError, Report

from .conftest import CORPUS, SEED_FILE, SEED_TITLE, SEEDS


def sentences(text: str) -> list[str]:
    """Sentences of a text (split after 。!?;), each at least 8 characters."""
    parts = re.split(r"(?<=[。!?;])|\n", text)
    return [p.strip() for p in parts if len(p.strip()) >= 8]


def corpus_raw(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


FURNITURE_WORDS = (
    "字体",
    "打印本页",
    "关闭窗口",
    "浏览次数",
    "扫一扫",
    "分享到",
    "主办单位",
    "当前位置",
)

# ----------------------------------------------------------------------------------------------
# Every format round-trips the seed's body


@pytest.mark.parametrize(
    ("kind", "fmt", "encoding"),
    [
        ("gb18030_txt", "txt", "gb18030"),
        ("bom_txt", "txt", "utf-8-sig"),
        ("html", "html", "gb18030"),
        ("docx", "docx", None),
        ("pdf", "pdf", None),
    ],
)
def test_format_round_trips_seed_body(samples, seed_text, kind, fmt, encoding):
    path = samples[kind]
    report = ingest_file(path, root=path.parent)
    assert isinstance(report, Report)
    assert (report.format, report.encoding) == (fmt, encoding)
    assert report.id == path.name
    assert report.source == str(path)
    assert report.version == hashlib.sha256(report.text.encode("utf-8")).hexdigest()
    expected, _ = clean_text(seed_text)
    if kind.endswith("txt"):
        assert report.text == expected
    else:
        lines = set(report.text.split("\n"))
        if kind == "pdf":  # reflowed from hard line breaks: compare sentence by sentence
            missing = [s for s in sentences(expected) if s not in report.text]
        else:
            missing = [p for p in expected.split("\n") if p and p not in lines]
        assert not missing, missing[:3]
    for key in (
        "坚持落实“第一议题”制度。",
        "组织领导干部进党校在2024年盖州市秋季领导干部培训班上进行习近平法治思想授课,60余人次参学",
        "坚持深化“放管服”改革,着力打造市场化法治化营商环境。",
    ):
        assert key in report.text
    for word in FURNITURE_WORDS:
        assert word not in report.text, word


def test_html_page_metadata_and_furniture(samples):
    report = ingest_file(samples["html"])
    assert report.title == SEED_TITLE
    assert report.published == report.meta.published == "2025-03-15"  # never the site clock
    assert report.meta.source == "盖州市司法局"
    assert report.meta.index_no == "11210881MB0123456X/2025-00012"
    assert report.meta.issuer == "盖州市人民政府办公室"
    assert report.meta.doc_no == "盖政发〔2025〕3号"
    for gone in ("今天是", "统计代码", "网上办事大厅", "辽ICP备", "微信", "document.write"):
        assert gone not in report.text
    assert report.text.split("\n")[0] == SEED_TITLE  # the visible heading stays


def test_docx_tables_and_metadata(samples):
    report = ingest_file(samples["docx"])
    assert report.title == SEED_TITLE
    assert report.meta.index_no == "11210881MB0123456X/2025-00012"
    assert report.meta.published == "2025-03-15"
    assert report.meta.doc_no is None  # 文号: 无
    assert "行政复议案件 | 112件 | 128件" in report.text  # a body table stays, one row per line


def test_pdf_page_numbers_removed_and_title(samples):
    report = ingest_file(samples["pdf"])
    assert report.title == SEED_TITLE
    assert not re.search(r"^- \d+ -$", report.text, re.M)


# ----------------------------------------------------------------------------------------------
# Failures: IngestError naming the file and the reason


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _binary(tmp: Path) -> Path:
    rnd = bytes((i * 7919 + 13) % 256 for i in range(4096))  # deterministic, contains NULs
    return _write(tmp / "report.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rnd)


def _undecodable(tmp: Path) -> Path:
    noise = bytes(range(0x80, 0x100)) * 8
    return _write(tmp / "report.txt", b"\xff\xfe\xfa" + noise + b"\xff\xfe\xfa")


def _big(tmp: Path) -> Path:
    path = tmp / "huge.txt"
    with path.open("wb") as f:  # sparse: nothing is held in memory
        f.write("法治政府建设".encode())
        f.truncate(50 * 1024 * 1024)
    return path


def _encrypted_docx(tmp: Path) -> Path:
    return _write(tmp / "report.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)


def _corrupt_docx(tmp: Path) -> Path:
    return _write(tmp / "report.docx", b"PK\x03\x04" + b"not really a zip" * 20)


def _corrupt_pdf(tmp: Path) -> Path:
    return _write(tmp / "report.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage")


def _empty_html(tmp: Path) -> Path:
    page = "<html><head><script>var a=1;</script></head><body><div> </div></body></html>"
    return _write(tmp / "page.html", page.encode())


@pytest.mark.parametrize(
    ("maker", "reason"),
    [
        (lambda tmp, s: s["scanned_pdf"], "no text layer (scanned PDF?)"),
        (lambda tmp, s: _write(tmp / "empty.txt", b""), "empty file"),
        (lambda tmp, s: _write(tmp / "blank.txt", " \r\n\u3000\n".encode()), "empty file"),
        (lambda tmp, s: _binary(tmp), "binary file"),
        (lambda tmp, s: _write(tmp / "report.xyz", "法治".encode()), "unsupported file type '.xyz'"),
        (lambda tmp, s: _write(tmp / "report.doc", "法治".encode()), "unsupported file type '.doc'"),
        (lambda tmp, s: _undecodable(tmp), "undecodable bytes: tried utf-8, gb18030"),
        (lambda tmp, s: _big(tmp), "file too large: 52,428,800 bytes (limit 20,971,520 bytes"),
        (lambda tmp, s: _encrypted_docx(tmp), "not a .docx (OLE compound file"),
        (lambda tmp, s: _corrupt_docx(tmp), "corrupt .docx"),
        (lambda tmp, s: _corrupt_pdf(tmp), "corrupt PDF"),
        (lambda tmp, s: _write(tmp / "x.pdf", b"hello"), "corrupt PDF (no %PDF header)"),
        (lambda tmp, s: _empty_html(tmp), "no text in HTML page"),
        (lambda tmp, s: tmp / "missing.txt", "cannot read file"),
        (lambda tmp, s: _write(tmp / "furniture.txt", "当前位置:首页 > 政务公开\n打印本页 | 关闭窗口".encode()), "no text left"),
    ],
    ids=[
        "scanned-pdf", "empty", "whitespace", "binary", "unknown-ext", "doc", "undecodable",
        "50MB", "encrypted-docx", "corrupt-docx", "corrupt-pdf", "not-pdf", "html-no-text",
        "missing", "only-furniture",
    ],
)  # fmt: skip
def test_failures_raise_ingest_error(tmp_path, samples, maker, reason, monkeypatch):
    monkeypatch.delenv("KG_MAX_BYTES", raising=False)
    path = maker(tmp_path, samples)
    with pytest.raises(IngestError) as info:
        ingest_file(path)
    err = info.value
    assert err.path == str(path)
    assert str(err).startswith(f"{path}: ")
    assert reason in err.reason
    assert "\n" not in str(err)


def test_size_limit_from_environment(tmp_path, monkeypatch):
    path = _write(tmp_path / "r.txt", ("法治政府建设。" * 200).encode())
    monkeypatch.setenv("KG_MAX_BYTES", "1000")
    with pytest.raises(IngestError, match=r"4,200 bytes \(limit 1,000 bytes"):
        ingest_file(path)
    monkeypatch.setenv("KG_MAX_BYTES", "100000")
    assert ingest_file(path).text.startswith("法治政府建设。")


def test_unexpected_errors_are_wrapped(tmp_path, monkeypatch):
    import kg.ingest as ingest

    def boom(raw):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(ingest, "clean_text", boom)
    path = _write(tmp_path / "r.txt", "法治政府建设情况。".encode())
    with pytest.raises(IngestError, match=r"r\.txt: RuntimeError: kaputt"):
        ingest_file(path)


@pytest.mark.parametrize(
    ("data", "ending"),
    [
        ("我市法治政府建设取得新成效。一是坚持\ufffd".encode(), "一是坚持\ufffd"),  # U+FFFD in text
        ("我市法治政府建设取得新成效。一是坚持".encode()[:-1], "一是坚\ufffd"),  # cut mid-char
        ("我市法治政府建设取得新成效。一是坚持".encode("gb18030")[:-1], "一是坚\ufffd"),
        ("我市法治政府建设取得新成效。一是坚持".encode(), "一是坚持"),  # mid-sentence
    ],
    ids=["fffd", "utf8-cut", "gb18030-cut", "mid-sentence"],
)
def test_truncated_scrape_is_ingested_with_warning(tmp_path, data, ending):
    report = ingest_file(_write(tmp_path / "cut.txt", data))
    assert report.text.endswith(ending)
    assert any("truncated" in w or "U+FFFD" in w for w in report.warnings)


# ----------------------------------------------------------------------------------------------
# Decoding


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        ("法治政府".encode(), "法治政府", "utf-8"),
        (b"\xef\xbb\xbf" + "法治政府".encode(), "法治政府", "utf-8-sig"),
        ("\ufeff法治政府".encode("utf-16-le"), "法治政府", "utf-16"),
        ("\ufeff法治政府".encode("utf-16-be"), "法治政府", "utf-16"),
        ("法治政府建设年度报告".encode("gb18030"), "法治政府建设年度报告", "gb18030"),
        (
            "法治政府建設年度報告".encode("gb18030"),
            "法治政府建設年度報告",
            "gb18030",
        ),  # traditional
        ("今天是2024年".encode() + b"\x00\x00\x00", "今天是2024年", "utf-8"),  # NUL padding
    ],
)
def test_decode_bytes(data, text, encoding):
    assert decode_bytes(data, "x.txt") == (text, encoding)


def test_decode_html_declared_charset_hint():
    data = "<p>法治政府建設</p>".encode("big5")
    assert decode_bytes(data, "p.html", hint="big5")[0] == "<p>法治政府建設</p>"


# ----------------------------------------------------------------------------------------------
# Page furniture on real corpus lines


CORPUS_CASES = [
    (
        "excerpt_001.txt",
        dict(title="2020年静海区法治政府建设情况报告", published="2021-03-29", source="司法局"),
        ["今天是", "农历", "您所在的位置", "文章来源", "更新时间", "工作报告\n"],
        "2020年静海区法治政府建设情况报告\n\n2020年,静海区坚持",
    ),
    (
        "excerpt_011.txt",
        dict(title="长沙市天心区坡子街街道办事处2022年法治政府建设年度报告", published="2023-01-29",
             source="天心区坡子街街道"),
        ["首页 >", "发布时间", "字体大小"],
        "长沙市天心区坡子街街道办事处2022年法治政府建设年度报告\n\n2022年是党的二十大召开之年",
    ),
    (
        "excerpt_019.txt",
        dict(title="交通运输部2017年度法治政府部门建设工作情况", published="2018-04-28",
             index_no="000019713O03/2018-00450", doc_no="交法发〔2018〕54号"),
        ["索引号", "公开日期", "主题词", "机构分类", "法制司", "公文类型", "部文件"],
        "交通运输部2017年度法治政府部门建设工作情况\n\n2017年以来,在党中央、国务院坚强领导下",
    ),
    (
        "excerpt_023.txt",
        dict(title="磐安县卫生健康局2022年法治政府建设年度报告", published="2023-11-01",
             source="磐安县卫生健康局", index_no="11330727350242958L/2023-62663",
             issuer="磐安县卫生健康局", doc_no=None),
        ["您当前所在的位置", ">> 政务公开", "公开形式", "公开时限", "生成日期", "浏览次数", "分享到"],
        "磐安县卫生健康局2022年法治政府建设年度报告\n\n2022年,我局深入贯彻二十大",
    ),
    (
        "excerpt_032.txt",
        dict(title="湖北省人民政府关于2022年度法治政府建设情况的报告", published="2023-03-30",
             index_no="011043217/2023-07888", issuer="湖北省人民政府", doc_no=None),
        ["索 引 号", "---|", "发布机构", "有 效 性"],
        "【省政府法治建设报告】湖北省人民政府关于2022年度法治政府建设情况的报告\n2022年,省政府坚持",
    ),
    (
        "excerpt_030.txt",
        dict(title="福建省2021年度法治政府建设情况", published="2022-03-30"),
        ["福州市", "当前位置", "2022-03-30 15:59", "| | |"],
        "福建省2021年度法治政府建设情况\n\n2021年,我省各级政府",
    ),
    (
        "excerpt_006.txt",
        dict(title="淮安市人民政府关于2017年度法治政府建设情况的报告", published="2018-05-03"),
        ["浏览次数", "时间:"],
        "淮安市人民政府关于2017年度法治政府建设情况的报告\n\n2017年,在省政府和淮安市委",
    ),
    (
        "excerpt_024.txt",
        dict(title="紫金县卫生健康局2025年法治政府建设年度报告", published="2026-01-28", source=None),
        ["阅读人次", "【字体"],
        "紫金县卫生健康局2025年法治政府建设年度报告\n\n2025年,紫金县卫生健康局",
    ),
    (
        "excerpt_028.txt",
        dict(title="关于那曲市色尼区2025年度法治政府建设情况的报告", published=None),
        [],
        "关于那曲市色尼区2025年度法治政府\n建设情况的报告\n2025年,色尼区坚持",
    ),
    (
        "excerpt_003.txt",
        dict(title=None, published=None, source=None),
        [],
        "2024年,广东坚持以习近平新时代中国特色社会主义思想为指导",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "meta", "gone", "start"), CORPUS_CASES, ids=[c[0] for c in CORPUS_CASES]
)
def test_corpus_furniture(name, meta, gone, start):
    raw = corpus_raw(name)
    text, page = clean_text(raw)
    for field, value in meta.items():
        assert getattr(page, field) == value, field
    for g in gone:
        assert g not in text, g
    assert text.startswith(start)
    # the body is untouched: every long line of the page survives verbatim (after stripping)
    for line in raw.splitlines():
        s = line.strip().lstrip("?")
        if len(s) >= 40 and "|" not in s and re.search("[。,]", s):
            assert s in text


def test_seed_002_publication_date_share_and_editor_trailer():
    raw = (SEEDS / "002_01f739070572be2c.txt").read_text(encoding="utf-8")
    text, meta = clean_text(raw)
    assert meta.published == "2025-03-24"
    assert meta.title == "济宁太白湖新区党工委 济宁太白湖新区管委会 2024年度法治政府建设工作报告"
    lines = text.split("\n")
    assert lines[:3] == [
        "济宁太白湖新区党工委",
        "济宁太白湖新区管委会",
        "2024年度法治政府建设工作报告",
    ]
    assert "分享" not in lines and "首页" not in lines
    assert "编辑" not in text and "浏览次数" not in text and "当前位置" not in text
    assert lines[-1] == "2025217"  # the (mangled) signing date stays; only the trailer goes
    assert re.search("^济宁太白湖新区党工委\xa0+济宁太白湖新区管委会$", text, re.M)


def test_seed_004_info_line_and_print_close_tail():
    raw = (SEEDS / "004_a25eb9ab7ca7f975.txt").read_text(encoding="utf-8")
    text, meta = clean_text(raw)
    assert (meta.published, meta.source) == ("2024-05-14", "保定市司法局")
    assert meta.title == "保定市人民政府关于保定市2023年度法治政府建设情况的报告"
    assert text.startswith(
        "保定市人民政府关于保定市2023年度法治政府建设情况的报告\n河北省人民政府:\n"
    )
    assert text.endswith("保定市人民政府\n2024年3月6日")
    for gone in ("打印", "关闭窗口", "字体", "|"):
        assert gone not in text


def test_seed_001_qr_code_line():
    text, _ = clean_text((SEEDS / "001_d3d407bf22a21093.txt").read_text(encoding="utf-8"))
    assert "扫一扫" not in text
    assert text.endswith("实行重大行政决策过程和结果依法公开。")


def test_site_clock_is_never_the_publication_date():
    text, meta = clean_text("今天是:2019年10月31日 星期三 农历十月初七\n2020年静海区法治政府建设情况报告\n"
                            "2020年,静海区坚持以习近平新时代中国特色社会主义思想为指导,依法全面履行政府职能。")  # fmt: skip
    assert meta.published is None
    assert "今天是" not in text


@pytest.mark.parametrize(
    "line",
    [
        "经费来源:市财政专项资金,全年共投入法治宣传经费120万元。",
        "来源:市统计局",  # inside the body: kept
        "(来源:市统计局)",
        "位置:盖州市西城街道",
        "分享经验做法,推广典型案例,形成可复制可推广的经验。",
        "时间:2024年全年,共开展执法检查36次。",
        "打印机、扫描仪等办公设备纳入政府采购目录管理。",
        "首页",
        "关闭",
        "2024-03-15",
    ],
)
def test_body_lines_with_furniture_words_survive(line):
    body = "2024年,我市坚持以习近平新时代中国特色社会主义思想为指导,全面推进法治政府建设。"
    raw = f"{body}\n{line}\n{body[:-1]}并取得新成效。"
    text, _ = clean_text(raw)
    assert line in text.split("\n")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("我區(qū)堅持", "我區堅持"),
        ("發(fā)展和實現(xiàn)", "發展和實現"),
        ("統(tǒng)一思想", "統一思想"),
        ("持續(xù)強化", "持續強化"),
        ("綠(lǜ)色", "綠色"),
        ("(一)深化改革", "(一)深化改革"),
        ("条例(试行)", "条例(试行)"),
        ("依法行政(de)", "依法行政(de)"),  # no tone mark: not a gloss
        ("Word(ā)", "Word(ā)"),  # not after a CJK character
        ("??2019年,上海市各級政府", "2019年,上海市各級政府"),
        ("取得新成效?,F(xiàn)將", "取得新成效?,F(xiàn)將"),  # mojibake left as found
    ],
)
def test_converter_noise(raw, clean):
    assert clean_text(raw)[0] == clean


def test_traditional_page_furniture():
    raw = "當前位置:首頁 > 政務公開\n發佈時間:2023-03-01 來源:自治區司法廳\n" + corpus_raw(
        "excerpt_021.txt"
    )
    text, meta = clean_text(raw)
    assert meta.published == "2023-03-01"
    assert meta.source == "自治區司法廳"
    assert text.startswith("2022年,我區堅持以習近平")


# ----------------------------------------------------------------------------------------------
# clean_text on arbitrary input

_PIECES = st.sampled_from(
    [
        "当前位置:首页 > 政务公开", "发布时间:2024/5/14 13:54:30 来源:保定市司法局 | 【字体:大 中 小】 打印",
        "今天是:2019年10月31日 星期三", "索 引 号 | 011043217/2023-07888 | 分 类 | 司法 |", "---|---|",
        "文号", "交法发〔2018〕54号", "(编辑:太白湖新区", "打印本页 | 关闭窗口 | ||||", "我區(qū)堅持",
        "??一、2019年", "2022-03-30 15:59", "2024年,我市坚持以习近平新时代中国特色社会主义思想为指导,全面推进法治政府建设。",
        "一、主要举措和成效", "保定市人民政府", "2024年3月6日", "", " ", "\u3000", "|", "首页", "\r\n", "\t",
    ]
)  # fmt: skip
_TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=25).map("\n".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_clean_text_never_raises_and_is_idempotent(raw):
    text, meta = clean_text(raw)
    assert isinstance(text, str)
    assert clean_text(text)[0] == text
    assert "\n\n\n" not in text
    assert text == text.strip()
    assert all(line == line.rstrip() for line in text.split("\n"))
    if meta.published:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.published)


# ----------------------------------------------------------------------------------------------
# Manifest, ids and inputs


def test_load_manifest_corpus_and_ids():
    manifest = load_manifest(CORPUS / "SOURCES.tsv")
    assert len(manifest) == 35
    key = (CORPUS / "excerpt_001.txt").resolve()
    entry = manifest[key]
    assert entry.url == "http://www.tjjh.gov.cn/jhqzf/zwgk_28985/gzbg/202103/t20210329_5396867.html"
    assert entry.fetched_at is None
    assert entry.note == "opening of a public page (excerpt)"
    report = ingest_file(CORPUS / "excerpt_001.txt", root=CORPUS, manifest=manifest)
    assert report.id == report.url == entry.url
    # without a manifest: the path relative to the folder given
    assert (
        ingest_file(CORPUS / "excerpt_001.txt", root=CORPUS.parent).id == "corpus/excerpt_001.txt"
    )
    assert ingest_file(CORPUS / "excerpt_001.txt").id == (CORPUS / "excerpt_001.txt").as_posix()


def test_load_manifest_csv_variant(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("法治政府建设。", encoding="utf-8")
    csv_text = (
        "path,url,fetched_at,note\n"
        'sub/a.txt,https://www.gz.gov.cn/a.html,2024-05-01T10:00:00Z,"opening, excerpt"\n'
        "# a comment line\n"
        "b.txt,,,\n"
    )
    (tmp_path / "m.csv").write_bytes(b"\xef\xbb\xbf" + csv_text.encode())
    manifest = load_manifest(tmp_path / "m.csv")
    a = manifest[(tmp_path / "sub" / "a.txt").resolve()]
    assert (a.url, a.fetched_at, a.note) == (
        "https://www.gz.gov.cn/a.html",
        "2024-05-01T10:00:00Z",
        "opening, excerpt",
    )
    assert manifest[(tmp_path / "b.txt").resolve()].url is None
    report = ingest_file(tmp_path / "sub" / "a.txt", root=tmp_path, manifest=manifest)
    assert (report.id, report.fetched_at) == (
        "https://www.gz.gov.cn/a.html",
        "2024-05-01T10:00:00Z",
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("path\tnote\na.txt\tx\n", "missing url"),
        ("file,url\na.txt,http://x.gov.cn/a\n", "missing path"),
        ("path\turl\na.txt\thttp://x.gov.cn/a\nb.txt\thttp://x.gov.cn/b\na.txt\thttp://x.gov.cn/c\n",
         "line 4: duplicate path 'a.txt' (first on line 2)"),
        ("path\turl\na.txt\thttp://x.gov.cn/a\nb.txt\thttp://x.gov.cn/a\n", "line 3: url"),
        ("", "empty manifest"),
        ("path\turl\n\turl-without-path\n", "line 2: empty path"),
    ],
)  # fmt: skip
def test_manifest_errors(tmp_path, content, reason):
    path = tmp_path / "SOURCES.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(IngestError) as info:
        load_manifest(path)
    assert info.value.path == str(path)
    assert reason in info.value.reason


def test_manifest_missing_file(tmp_path):
    with pytest.raises(IngestError, match="cannot read manifest"):
        load_manifest(tmp_path / "nope.tsv")


def test_expand_inputs(tmp_path):
    for rel in ["b/2.txt", "b/1.html", "a.txt", "B.pdf", ".hidden.txt", ".git/x.txt",
                "SOURCES.tsv", "notes.md", "c/d/e.docx", "list.tsv"]:  # fmt: skip
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    got = expand_inputs([tmp_path], skip=[tmp_path / "list.tsv"])
    rels = [f.relative_to(tmp_path).as_posix() for f, _ in got]
    assert rels == ["B.pdf", "a.txt", "b/1.html", "b/2.txt", "c/d/e.docx", "notes.md"]
    assert all(root == tmp_path for _, root in got)
    # a file given directly: root is its folder; given twice: once
    single = expand_inputs([tmp_path / "b" / "2.txt", tmp_path / "b" / "2.txt"])
    assert single == [(tmp_path / "b" / "2.txt", tmp_path / "b")]
    # a manifest named directly is returned (and then fails as an unknown type)
    assert expand_inputs([tmp_path / "SOURCES.tsv"])[0][0].name == "SOURCES.tsv"
    with pytest.raises(IngestError, match="no such file or directory"):
        expand_inputs([tmp_path / "nope"])


def test_expand_then_ingest_seeds():
    pairs = expand_inputs([SEEDS])
    assert [f.name for f, _ in pairs] == sorted(p.name for p in SEEDS.glob("*.txt"))
    reports = [ingest_file(f, root) for f, root in pairs]
    assert reports[0].id == SEED_FILE.name
    assert len({r.version for r in reports}) == len(reports)


def test_extract_raw_formats(samples):
    assert extract_raw(samples["gb18030_txt"])[1:] == ("txt", "gb18030")
    assert SUPPORTED_SUFFIXES == (".txt", ".html", ".htm", ".docx", ".pdf")


def test_uppercase_suffix_and_htm(tmp_path, samples):
    target = tmp_path / "PAGE.HTM"
    os.replace(samples["html"], target)
    report = ingest_file(target)
    assert report.format == "html" and report.title == SEED_TITLE
