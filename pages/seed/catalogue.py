"""Demo catalogue metadata as a real bureau fills it in: topics spread over the classification,
文号 and 发布机构 on the documents the bureau issues, a 内容概述 for every item, and the
statutory list mapped to the demo's columns."""

import re

from django.utils.html import strip_tags

from ..models import AnnualReportPage, BudgetPage, NoticePage, StatutoryDisclosureKind

BUREAU = "开平市民政局"

# A column's items share its topic; elsewhere the owning department's field decides, unless a
# title names a more specific field (婚姻登记, 殡葬, …).
COLUMN_TOPICS = {
    "shehui-jiuzhu": "assistance",
    "yanglao-fuwu": "elderly",
    "caizheng-yujuesuan": "finance",
    "jiage-shoufei": "fees",
    "anquan-shengchan": "safety",
    "xingzheng-zhifa": "enforcement",
    "shuang-suiji": "enforcement",
    "renshi-renmian": "personnel",
    "danwei-lingdao": "personnel",
    "jigou-shezhi": "personnel",
    "zhuyao-zhize": "gov_affairs",
    "xinxi-nianbao": "gov_affairs",
    "zhixing-gongkai": "gov_affairs",
    "gongkai-zhinan": "gov_affairs",
    "gongkai-zhidu": "gov_affairs",
}
TITLE_TOPICS = [
    ("婚姻", "marriage"),
    ("结婚", "marriage"),
    ("离婚", "marriage"),
    ("殡", "funeral"),
    ("社会组织", "organisations"),
    ("慈善", "charity"),
    ("儿童", "children"),
    ("残疾", "disability"),
    ("精神", "disability"),
    ("汛期", "disaster_relief"),
    ("救灾", "disaster_relief"),
    ("地名", "place_names"),
    ("养老", "elderly"),
    ("老人", "elderly"),
    ("低保", "assistance"),
    ("救助", "assistance"),
    ("特困", "assistance"),
]
DEPARTMENT_TOPICS = {"社会救助股": "assistance", "养老服务股": "elderly", "社会事务股": "affairs"}

# Where each statutory kind is published on the demo site (column slugs).
STATUTORY_COLUMNS = {
    "政府信息公开指南": ["gongkai-zhinan"],
    "政府信息公开制度": ["gongkai-zhidu"],
    "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名": [
        "zhuyao-zhize",
        "jigou-shezhi",
        "danwei-lingdao",
    ],
    "规章和行政规范性文件": ["zhengce-fagui", "yanglao-fuwu"],
    "发展规划、专项规划及相关政策": ["zhixing-gongkai"],
    "民政统计信息": ["zhixing-gongkai", "shehui-jiuzhu"],
    "行政许可和其他对外管理服务事项的依据、条件、程序及办理结果": ["banshi-fuwu"],
    "行政处罚、行政强制的依据、条件、程序及处罚决定": ["xingzheng-zhifa", "shuang-suiji"],
    "财政预算、决算信息": ["caizheng-yujuesuan"],
    "行政事业性收费项目及其依据、标准": ["jiage-shoufei"],
    "社会救助、社会福利的政策、标准及实施情况": ["shehui-jiuzhu", "yanglao-fuwu"],
    "突发公共事件应急预案、预警信息及应对情况": ["anquan-shengchan", "tongzhi-gonggao"],
    "安全生产监督检查情况": ["anquan-shengchan"],
    "人事任免及公务员招考录用": ["renshi-renmian"],
    "政府信息公开工作年度报告": ["xinxi-nianbao"],
}
# Documents without a 文号 in the story get the bureau's letter series (开民函), numbered in
# the order the demo lists them.
NUMBERED_TYPES = (NoticePage, AnnualReportPage, BudgetPage)


def topic_for(slug, spec):
    if spec.get("topic"):
        return spec["topic"]
    if slug in COLUMN_TOPICS:
        return COLUMN_TOPICS[slug]
    for word, topic in TITLE_TOPICS:
        if word in spec["title"]:
            return topic
    return DEPARTMENT_TOPICS.get(spec["department"], "general")


def summary_for(spec, html):
    """The story's own 内容概述, or its first paragraph cut at a sentence."""
    if spec.get("summary"):
        return spec["summary"]
    paragraphs = [strip_tags(p).strip() for p in re.findall(r"<p>(.*?)</p>", html or "")]
    first = next((p for p in paragraphs if len(p) > 20), "")
    if len(first) <= 120:
        return first
    cut = first[:120]
    return cut[: cut.rfind("。") + 1] if "。" in cut else cut + "……"


class DocumentNumbers:
    """Hands out 开民函〔year〕N号 to the demo documents that have none."""

    def __init__(self):
        self.next = {}

    def __call__(self, cls, spec, written_on):
        if spec.get("document_number") or not issubclass(cls, NUMBERED_TYPES):
            return spec.get("document_number", "")
        year = written_on.year
        self.next[year] = self.next.get(year, 0) + 1
        return f"开民函〔{year}〕{self.next[year]}号"


def map_statutory_kinds(columns):
    for kind in StatutoryDisclosureKind.objects.all():
        wanted = [columns[slug] for slug in STATUTORY_COLUMNS.get(kind.name, []) if slug in columns]
        if wanted and not kind.columns.exists():
            kind.columns.set(wanted)
