"""Metrics: real sentences from the seeds and the corpus with the metrics an analyst reads in them.

Most cases call :func:`extractors.metrics.find_metrics` on one (normalised) sentence; a few run
the component on a whole little report to check offsets, scope, the year and agency attribution.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors import metrics as M
from extractors import segment
from extractors.pipeline import Runner
from kg.model import Fact, Mention, Report
from kg.textnorm import normalize


def found(sentence: str, year: int | None = 2024) -> list[M.MetricSpan]:
    return M.find_metrics(normalize(sentence), year)


def brief(sentence: str, year: int | None = 2024) -> list[tuple]:
    return [(m.value, m.unit, m.subject) for m in found(sentence, year)]


# --------------------------------------------------------------------------- numbers and units


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "approximate", "base_value", "base_unit"),
    [
        (
            "深入践行新时代“枫桥经验”,调解纠纷案件4727起,预防各类矛盾纠纷420起。",
            4727,
            "起",
            False,
            4727,
            "起",
        ),
        (
            "全年受理各类法律援助案件380件,法律援助参与刑事案件律师辩护全覆盖率达100%。",
            380,
            "件",
            False,
            380,
            "件",
        ),
        ("“万件清理”办结率97.1%,满意率100%,累计推动还款7320.9万元。", 97.1, "%", False, 97.1, "%"),
        ("2024年期间共办理不罚案件277件,不罚金额达124余万元;", 277, "件", False, 277, "件"),
        ("开展民法典集中宣讲等活动55场次,受众近2万余人次。", 55, "场次", False, 55, "场次"),
        ("全市开展学习习近平法治思想百余次。", 100, "次", True, 100, "次"),
        ("查处、移送案件货值2.1亿余元。", 2.1, "亿元", True, 210000000, "元"),
        ("通过市政府门户网站发布信息约2.69万条。", 2.69, "万条", True, 26900, "条"),
        ("法律顾问审查合同超185份。", 185, "份", True, 185, "份"),
        ("办结率100.00%,满意率95%以上。", 100.0, "%", False, 100.0, "%"),
        ("累计发放宣传资料两千余份。", 2000, "份", True, 2000, "份"),
    ],
)
def test_value_unit_and_base(sentence, value, unit, approximate, base_value, base_unit):
    m = found(sentence)[0]
    assert (m.value, m.unit, m.approximate, m.base_value, m.base_unit) == (
        value,
        unit,
        approximate,
        base_value,
        base_unit,
    )


def test_multiplier_and_markers_in_every_order():
    got = [
        (m.value, m.unit, m.approximate, m.base_value)
        for m in found("不罚金额达124余万元;发放各类普法材料10万余份;受众近2万余人次。")
    ]
    assert got == [
        (124, "万元", True, 1240000),
        (10, "万份", True, 100000),
        (2, "万人次", True, 20000),
    ]


def test_percentage_stays_a_percentage():
    (m,) = found("调解成功率达到99.8%。")
    assert (m.value, m.unit, m.base_value, m.base_unit) == (99.8, "%", 99.8, "%")


def test_parse_number():
    assert M.parse_number("7,320.9") == 7320.9
    assert M.parse_number("两千") == 2000
    assert M.parse_number("百") == 100
    assert M.parse_number("十四五") is None
    assert M.parse_number("八五") is None


# --------------------------------------------------------------------------- subjects


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # post-nominal: the subject follows the clause's verb, quantifiers stripped
        ("全年受理各类法律援助案件380件。", [(380, "件", "法律援助案件")]),
        ("新增市场主体8835户。", [(8835, "户", "市场主体")]),
        (
            "家庭医生签约率达100%;医保异地结算率97.6%。",
            [(100, "%", "家庭医生签约率"), (97.6, "%", "医保异地结算率")],
        ),
        # pre-nominal counts and lists
        (
            "31件人大代表建议、53件政协委员提案全部办结,满意率达100%。",
            [(31, "件", "人大代表建议"), (53, "件", "政协委员提案"), (100, "%", "满意率")],
        ),
        (
            "组织开展全市70家单位94名党政主要负责人作为述法对象开展书面述法工作。",
            [(70, "家", "单位"), (94, "名", "党政主要负责人")],
        ),
        (
            "确定11个市本级行政执法部门共149项涉企行政执法检查计划。",
            [(11, "个", "市本级行政执法部门"), (149, "项", "涉企行政执法检查计划")],
        ),
        (
            "全市31个政府部门编制权责事项3223项,20个县(市、区)编制权责清单事项44618项。",
            [
                (31, "个", "政府部门"),
                (3223, "项", "编制权责事项"),
                (20, "个", "县(市、区)"),
                (44618, "项", "编制权责清单事项"),
            ],
        ),
        (
            "建设6个“四星级司法所”、4个“五星级司法所”。",
            [(6, "个", "四星级司法所"), (4, "个", "五星级司法所")],
        ),
        # the second number of a clause pair inherits the subject
        (
            "市法院新收行政诉讼案件68件,审结66件;",
            [(68, "件", "行政诉讼案件"), (66, "件", "行政诉讼案件")],
        ),
        (
            "收到行政复议申请161件,依法受理89件,结案69件。",
            [(161, "件", "行政复议申请"), (89, "件", "行政复议申请"), (69, "件", "行政复议申请")],
        ),
        (
            "共决定废止政策文件20件、宣布失效21件、予以修改1件。",
            [(20, "件", "政策文件"), (21, "件", "政策文件"), (1, "件", "政策文件")],
        ),
        (
            "先后对7个区属部门进行联合督察,发现问题8处,督促整改8处。",
            [(7, "个", "区属部门"), (8, "处", "发现问题"), (8, "处", "督促整改问题")],
        ),
        # a lost separator: two changes for two subjects
        ("信访量、诉讼量同比下降32.5%24.1%。", [(32.5, "%", "信访量"), (24.1, "%", "诉讼量")]),
        # a generic head keeps the words before its verb
        (
            "作出行政处罚191次,罚款金额1688.3071万元。",
            [(191, "次", "行政处罚"), (1688.3071, "万元", "罚款金额")],
        ),
        ("罚没1687.11万元。", [(1687.11, "万元", "罚没")]),
        ("2024年完成执法线上培训763人次。", [(763, "人次", "执法线上培训")]),
        # a change: the new value inherits
        (
            "行政审批事项数量从799项削减至326项,精简率达59.2%。",
            [
                (799, "项", "行政审批事项数量"),
                (326, "项", "行政审批事项数量"),
                (59.2, "%", "精简率"),
            ],
        ),
        # brackets and lists
        (
            "全市共设立人民调解组织1467个(行业性专业性组织133个)、个人调解室14个。",
            [
                (1467, "个", "人民调解组织"),
                (133, "个", "行业性专业性组织"),
                (14, "个", "个人调解室"),
            ],
        ),
        (
            "发放《中华人民共和国民法典》《预防未成年人犯罪法》等各类宣传册6000余份。",
            [(6000, "份", "宣传册")],
        ),
        ("成立教育、住建、婚恋等8个行业性的调解组织。", [(8, "个", "行业性的调解组织")]),
    ],
)
def test_subjects(sentence, expected):
    assert brief(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "qualifier"),
    [
        ("信访量、诉讼量同比下降32.5%24.1%。", "同比下降"),
        ("满意率达100%。", "达"),
        ("受理各类法律援助案件380件。", "受理"),
        ("2023年我市直接纠错率降至8.4%,在全省设区市中位列第一。", "降至"),
        ("市法院新收行政诉讼案件68件。", "新收"),
    ],
)
def test_qualifier(sentence, qualifier):
    assert found(sentence)[0].qualifier == qualifier


def test_mentions_are_minimal_spans():
    s = normalize(
        "全年受理各类法律援助案件380件,调解纠纷案件4727起;31件人大代表建议、53件政协委员提案全部办结。"
    )
    assert [s[m.start : m.end] for m in M.find_metrics(s, 2024)] == [
        "受理各类法律援助案件380件",
        "调解纠纷案件4727起",
        "31件人大代表建议",
        "53件政协委员提案",
    ]


# --------------------------------------------------------------------------- scope


@pytest.mark.parametrize(
    ("sentence", "scope", "year_hint"),
    [
        ("累计推动还款7320.9万元。", "cumulative", None),
        ("全年共办理应诉案件43件。", "annual", None),
        ("连续8年行政机关负责人出庭应诉率达100%。", "multi_year", None),
        ("截至2024年底,全市共有市场主体16024户。", "as_of", 2024),
        ("目前盖州现行有效行政规范性文件12件。", "as_of", None),
        ("2019年市级成立16支行政执法队伍。", "other_year", 2019),
        ("对2022年度提拔任用的149名县级干部进行任职法律知识考试。", "annual", None),
        ("2024年共开展案卷评查活动2次。", "annual", None),
    ],
)
def test_scope(sentence, scope, year_hint):
    m = found(sentence)[-1]
    assert (m.scope, m.year_hint) == (scope, year_hint)


def test_multi_year_is_not_a_metric():
    got = brief("全年共办理应诉案件43件,连续8年行政机关负责人出庭应诉率达100%。")
    assert got == [(43, "件", "应诉案件"), (100, "%", "行政机关负责人出庭应诉率")]


# --------------------------------------------------------------------------- not metrics


@pytest.mark.parametrize(
    "sentence",
    [
        "2024年,盖州市坚持以习近平新时代中国特色社会主义思想为指导。",  # years
        "保定市人民政府 2024年3月6日",  # dates
        "发布时间:2024/5/14 13:54:30 来源:保定市司法局",
        "印发《关于加强行政执法工作的通知》(盖政发〔2024〕12号)。",  # document number
        "组织开展第14次全市干部宪法法律知识考试。",  # ordinals
        "组织召开市委法治建设委员会召开第二次(扩大)会议。",
        "1.坚持落实“第一议题”制度。",  # section numbers
        "一、主要举措和成效",
        "(一)践行习近平法治思想",
        "认真落实“八五”普法规划,全面贯彻落实党的二十大和二十届二中、三中全会精神。",  # names
        "2025年是实施“十四五”规划的收官之年。",
        "“12345”平台质效提升。与保定市12345热线建立联动合作机制。",
        "贯彻落实“1+N”行动(即1名村居法律顾问+N名法律明白人)。",
        "认真落实省委“1310”具体部署,发挥“三个作用”。",
        "建成“1+38+28”的市级应急预案体系。",
        "印发《优化营商环境创新行动96条》《盖州市2024年推进更高水平法治政府建设十项重点任务》。",
        "贯彻《提升行政执法质量三年行动计划(2023—2025年)》。",
        "严格执行“三重一大”决策程序,扎实推进“三项制度”落实,做到“两个维护”。",
        "依照《行政处罚法》第三十三条第1款的规定。",  # articles
        "在全省设区市中位列第一;在全市27个部门中排名第1。",  # ranks (the 27 is context, kept)
        "咨询电话:0312-5901234,邮编071000。",  # phone numbers and codes
        "在清远电台FM88.7《以案释法》栏目开展宣传。",
        "千方百计化解矛盾,千家万户受益,开展百日攻坚。",
        "“万件清理”工作扎实推进,“一件事一次办”改革落地。",
        "“一网通办2.0”建设试点,5G网络全覆盖。",
    ],
)
def test_not_metrics(sentence):
    got = [(m.value, m.unit) for m in found(sentence)]
    assert got in ([], [(27, "个")])


def test_unitless_number_only_where_the_unit_was_lost():
    assert brief("听取工作报告,研究解决法治建设重大问题6;组织开展述法。") == [(6, "", "重大问题")]
    assert found("听取工作报告,研究解决法治建设重大问题6;", 2024)[0].confidence <= 0.5
    assert brief("拨打热线12345,咨询法律问题。") == []
    assert [m.value for m in M.find_metrics("区级取消申请材料525", 2020, at_doc_end=True)] == [525]
    assert M.find_metrics("区级取消申请材料525", 2020) == []


# --------------------------------------------------------------------------- the component


def run(text: str, agencies: list[Fact] | None = None) -> list[Fact]:
    report = Report(id="r", version="v", source="r.txt", text=text, year=2024)
    runner = Runner(["segment"])
    doc = runner.prepare(report)
    segment.segment(doc)
    if agencies is not None:
        doc.annotations["agencies"] = agencies
    return list(M.metrics(doc))


def test_component_offsets_year_and_fields():
    text = "一、主要举措和成效\n2024年,全年受理各类法律援助案件380件,累计推动还款7320.9万元。2019年市级成立16支行政执法队伍。"
    facts = run(text)
    assert [f.mention.surface for f in facts] == [
        "受理各类法律援助案件380件",
        "推动还款7320.9万元",
        "成立16支行政执法队伍",
    ]
    for f in facts:
        assert text[f.mention.start : f.mention.end] == f.mention.surface
        assert f.kind == "metric" and f.component == "metrics@1" and f.section == "achievements"
    a = facts[0].attrs
    assert a["metric"] == "legal_aid_cases" and a["year"] == 2024 and a["scope"] == "annual"
    assert facts[1].attrs["scope"] == "cumulative" and facts[1].attrs["base_value"] == 73209000
    assert facts[2].attrs["scope"] == "other_year" and facts[2].attrs["year"] == 2019


def test_component_traditional_and_width_changing_text():
    text = "㈠市法院新收行政訴訟案件68件,審結66件。"
    facts = run(text)
    assert [f.mention.surface for f in facts] == ["新收行政訴訟案件68件", "審結66件"]
    assert all(text[f.mention.start : f.mention.end] == f.mention.surface for f in facts)
    assert [f.attrs["subject"] for f in facts] == ["行政诉讼案件", "行政诉讼案件"]


def test_agency_from_the_agencies_annotation():
    text = (
        "市法院新收行政诉讼案件68件,审结66件;新收行政非诉执行案件70件。向行政机关发出检察意见3份。"
    )
    court = Fact("agency", "盖州市人民法院", Mention(0, 3, "市法院"), 0, "")
    facts = run(text, [court])
    assert [f.attrs["agency"] for f in facts] == ["盖州市人民法院"] * 3 + [None]


def test_agency_fallback_and_addressees():
    text = "市检察院办理行刑反向衔接案件50件,向行政机关发出检察意见3份。在市委、市政府的领导下,全市开展活动20场。"
    facts = run(text)
    assert [f.attrs["agency"] for f in facts] == ["市检察院", "市检察院", None]


def test_agency_annotation_is_read_defensively():
    text = "市法院新收行政诉讼案件68件。"
    for junk in ([None, 3, "x", {"start": "a"}, (5,), {"start": 0, "end": 999}], "not a list", 42):
        report = Report(id="r", version="v", source="r.txt", text=text, year=2024)
        doc = Runner(["segment"]).prepare(report)
        segment.segment(doc)
        doc.annotations["agencies"] = junk
        assert [f.attrs["value"] for f in M.metrics(doc)] == [68]


def test_registered_and_ordered_after_agencies():
    runner = Runner()
    names = [c.name for c in runner.components]
    assert "metrics" in names and names.index("metrics") > names.index("agencies")
    r = runner.run(
        Report(id="r", version="v", source="r", text="2024年,盖州市全年受理各类法律援助案件380件。")
    )
    assert [f.attrs["value"] for f in r.facts if f.kind == "metric"] == [380]


def test_data_files_are_consistent():
    lx = M.lexicon()
    assert lx.units["万元"].base == "元" and lx.multipliers["亿"] == 100000000
    assert {"verb", "link", "lead_strip", "stop_after", "generic_head"} <= set(lx.words)
    ids = [c[0] for c in lx.concepts]
    assert len(ids) == len(set(ids)) and "court_appearance_rate" in ids


# --------------------------------------------------------------------------- robustness


_ALPHABET = st.sampled_from(
    list(
        '0123456789.,%％万亿千百余多约近超第年月日件人次个项《》“”"()（）、,;。:\n 一二两三十市法院新收审结受理达同比下降累计截至连续+N'
    )
    + ["㈠", "ﬁ", "㎡", "發", "%", "\u3000", "𠀀", "é", "\ufeff"]
)


def _check(text: str) -> None:
    for f in run(text):
        assert text[f.mention.start : f.mention.end] == f.mention.surface
        assert f.mention.surface
        assert isinstance(f.attrs["value"], (int, float))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=120).map("".join))
def test_fuzz_never_raises_and_offsets_hold(text):
    _check(text)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_fuzz_arbitrary_text(text):
    _check(text)


@pytest.mark.parametrize(
    "text",
    [
        "《" * 50 + "12件",
        "1" * 5000,
        "件" * 100_000,
        "12345678901234567890件" * 50,
        "一二三四五六七八九十百千万亿" * 300,
        "((((((" + "受理案件12件" + "))))))" * 20,
        "“" + "受理12件," * 500,
        "同比下降" + "32.5%" * 400,
        "市法院审结" * 2000 + "66件",
        "Ⅻ ½ ⅓ ㊿ ① ⑩ 12件",
    ],
)
def test_adversarial(text):
    _check(text)


def test_numbers_split_by_spaces_as_in_pdf_text():
    assert brief("2024年共开展案卷评查活动 2 次,完成执法证件考试 163 人。") == [
        (2, "次", "案卷评查活动"),
        (163, "人", "执法证件考试"),
    ]


def test_long_sentences_stay_linear():
    import time

    t0 = time.perf_counter()
    got = M.find_metrics("审结12件、" * 5000, 2024)
    assert len(got) == 5000 and time.perf_counter() - t0 < 5
