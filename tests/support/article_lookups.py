"""Article look-ups typed the way phone users type them, over the eval corpus (../shared/corpus),
each with what must come of it: the articles quoted, or the question asked back, or the
refusal by name. Written for issue 26 from the forms users type (short names, slips of the
pinyin keyboard, spacing, numerals, 讲的啥), not from any eval question; used by
tests/test_article_lookups.py and bench/article_lookups.py."""

from __future__ import annotations

from dataclasses import dataclass

# a distinctive part of each document's title
DANGZHANG = "中国共产党章程"
CUNZU = "村民委员会组织法"
JILV = "纪律处分条例"
XIZE = "发展党员工作细则"
JIAOYU = "党员教育管理工作条例"
JIGUAN = "机关基层组织工作条例"
XIANGCUN = "乡村振兴促进法"


@dataclass(frozen=True)
class Lookup:
    question: str
    document: str | None = None  # the title quoted (a part of it), for an article answer
    articles: tuple[int, ...] = ()
    # not an article answer: which_document (asked back), missing_document, missing_article
    reason: str | None = None
    after: str | None = None  # the question answered before, for a follow-up


def _a(question: str, document: str, *articles: int, after: str | None = None) -> Lookup:
    return Lookup(question, document, tuple(articles), after=after)


LOOKUPS: tuple[Lookup, ...] = (
    # 党章: numerals, spacing, order, what is asked after the number
    _a("党章55条", DANGZHANG, 55),
    _a("党章 第 55 条", DANGZHANG, 55),
    _a("第五十五条党章", DANGZHANG, 55),
    _a("党章第五十五条讲的啥", DANGZHANG, 55),
    _a("党章第５５条", DANGZHANG, 55),
    _a("党 章 第 55 条", DANGZHANG, 55),
    _a("党章55", DANGZHANG, 55),
    _a("党章 55 讲的啥", DANGZHANG, 55),
    _a("党章第五十五", DANGZHANG, 55),
    _a("党章的55条是啥", DANGZHANG, 55),
    _a("党章里面第55条说的是啥", DANGZHANG, 55),
    _a("党的章程第十条", DANGZHANG, 10),
    _a("《党章》第10条", DANGZHANG, 10),
    _a("党章-37条", DANGZHANG, 37),
    _a("党张第九条", DANGZHANG, 9),
    _a("党章地9条", DANGZHANG, 9),
    _a("党章第9跳", DANGZHANG, 9),
    _a("党章第五十五款", DANGZHANG, 55),
    _a("dz55", DANGZHANG, 55),
    _a("dangzhang40", DANGZHANG, 40),
    # a number without 条, then what to do with it; initials for a name's first word
    _a("党章12 念一下", DANGZHANG, 12),
    _a("村组法3 读给我听", CUNZU, 3),
    _a("jg基层组织条例第9条", JIGUAN, 9),
    _a("jl处分条例 5", JILV, 5),
    _a("党章第三十一条和第三十二条", DANGZHANG, 31, 32),
    _a("党章第31、32条", DANGZHANG, 31, 32),
    _a("党章第三十一至三十三条", DANGZHANG, 31, 32, 33),
    # 纪律处分条例
    _a("纪律处分条例102条说了什么", JILV, 102),
    _a("处分条例 一百零二条", JILV, 102),
    _a("纪律条例102", JILV, 102),
    _a("纪律处分条例，102条", JILV, 102),
    _a("纪律处分条例第壹佰零贰条", JILV, 102),
    _a("纪律处分条例第一〇二条", JILV, 102),
    _a("党纪处分条例第27条", JILV, 27),
    _a("党纪条例第27条", JILV, 27),
    _a("纪律处份条例88条", JILV, 88),
    _a("纪律处分条理第88条", JILV, 88),
    _a("纪律处分102条", JILV, 102),
    _a("纪律处分第一百零二条讲的啥", JILV, 102),
    _a("jlcftl102", JILV, 102),
    # 村民委员会组织法
    _a("村组法14", CUNZU, 14),
    _a("村组法十四条", CUNZU, 14),
    _a("村委会组织法第十四条", CUNZU, 14),
    _a("村委会组织法 14条讲啥", CUNZU, 14),
    _a("村委组织法第14条", CUNZU, 14),
    _a("村委会法第十四条", CUNZU, 14),
    _a("村组织法第十四条", CUNZU, 14),
    _a("村组发第十四条", CUNZU, 14),
    _a("村委会第14条", CUNZU, 14),
    _a("czf20", CUNZU, 20),
    _a("村民委员会第二十二条是什么", CUNZU, 22),
    # 发展党员工作细则
    _a("细则第3条", XIZE, 3),
    _a("发展党员细责第三条", XIZE, 3),
    _a("发展党员细侧3条", XIZE, 3),
    _a("发展党员工作细则 第三条", XIZE, 3),
    _a("党员发展细则第三条", XIZE, 3),
    _a("发展党员第3条", XIZE, 3),
    _a("发展党员细则二十二", XIZE, 22),
    _a("入党细则第三条", XIZE, 3),  # 入党 is 发展党员 in the 词表
    # 党员教育管理工作条例
    _a("教育管理条例 第9条", JIAOYU, 9),
    _a("党员教育管理条例28条", JIAOYU, 28),
    _a("党员教育条例第9条", JIAOYU, 9),
    _a("党员管理条例第9条", JIAOYU, 9),
    _a("党员教育管理条列第9条", JIAOYU, 9),
    _a("党员教育管理第9条", JIAOYU, 9),
    _a("党员教育管理工作条例第二十七条讲了些什么", JIAOYU, 27),
    # 党和国家机关基层组织工作条例
    _a("机关基层组织工作条例第十条", JIGUAN, 10),
    _a("机关党组织工作条例第10条", JIGUAN, 10),
    _a("机关基层组织条例第10条", JIGUAN, 10),
    _a("党和国家机关基层组织工作条例第10条", JIGUAN, 10),
    _a("党的机关基层组织工作条例第十条", JIGUAN, 10),
    _a("机关基层组织第10条", JIGUAN, 10),
    _a("机关组织工作条例第20条", JIGUAN, 20),  # not the 组织工作条例 the KB lacks
    # 乡村振兴促进法
    _a("乡村振兴促进法第十条", XIANGCUN, 10),
    _a("乡村振兴法58条", XIANGCUN, 58),
    _a("乡村振兴法 第五十八条", XIANGCUN, 58),
    _a("振兴促进法第十条", XIANGCUN, 10),
    _a("乡村振心法第58条", XIANGCUN, 58),
    _a("乡村振兴促进发第十条", XIANGCUN, 10),
    _a("乡村振兴促进法地58条", XIANGCUN, 58),
    _a("乡振法第10条", XIANGCUN, 10),
    _a("乡村振兴第10条", XIANGCUN, 10),
    # 那本, 这个 said inside the name, and a request before it
    _a("给我找找村委会组织法那部法律第十四条", CUNZU, 14),
    _a("纪律处分这本条例第102条讲的什么", JILV, 102),
    _a("教育管理这个工作条例第20条", JIAOYU, 20),
    _a("我记得发展党员那本细则第十条", XIZE, 10),
    _a("机关基层组织那份条例第7条", JIGUAN, 7),
    Lookup("那本条例第3条", reason="which_document"),
    Lookup("也照这个条例第3条办吗", reason="which_document"),
    # the document of the conversation
    _a("第55条", DANGZHANG, 55, after="党章第十条"),
    _a("那第十一条呢", DANGZHANG, 11, after="党章第十条"),
    _a("那55条呢", DANGZHANG, 55, after="党章第十条"),
    _a("条例第10条", JILV, 10, after="纪律处分条例第五条"),
    # no document named, or one several fit: asked back, never a guess
    Lookup("条例第10条", reason="which_document"),
    Lookup("第五十五条", reason="which_document"),
    Lookup("五十五条", reason="which_document"),
    Lookup("55条讲的啥", reason="which_document"),
    Lookup("党员第3条", reason="which_document"),
    # a document the knowledge base lacks, or an article past a document's end
    Lookup("支部工作条例第十条", reason="missing_document"),
    Lookup("问责条例第11条", reason="missing_document"),
    Lookup("乡村振兴条例第十条", reason="missing_document"),
    Lookup("发展党员条例第三条", reason="missing_document"),
    Lookup("机关党建条例第十条", reason="missing_document"),
    Lookup("纪委条例102条", reason="missing_document"),
    Lookup("党章第100条", reason="missing_article"),
    Lookup("党章第0条", reason="missing_article"),
    Lookup("村组法第99条", reason="missing_article"),
    Lookup("纪律处分条例第200条", reason="missing_article"),
)
