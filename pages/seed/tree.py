"""The fixed column tree of RULES.md §2 as data: (slug, title, kind-or-children, options)."""

from ..models import ColumnKind

# A node is a dict: slug, title, and either "kind" (a leaf column) or "children" (an index).
# "departments" names demo departments only; real sites map columns in the admin.
ALL = ["办公室", "社会救助股", "养老服务股", "社会事务股"]
OFFICE = ["办公室"]

COLUMN_TREE = [
    {
        "slug": "yaowen",
        "title": "要闻动态",
        "description": "本局工作动态与时政要闻，全年动态更新。",
        "children": [
            {
                "slug": "gongzuo-dongtai",
                "title": "工作动态",
                "kind": ColumnKind.NEWS,
                "departments": ALL,
                "freshness_days": 14,
                "description": "各股室及下属单位报送的工作动态。",
                "keywords": "民政,工作动态",
            },
            {
                "slug": "shizheng-yaowen",
                "title": "时政要闻",
                "kind": ColumnKind.NEWS,
                "departments": OFFICE,
                "freshness_days": 14,
                "description": "转载中央、省、市时政要闻。",
                "keywords": "时政,要闻",
            },
        ],
    },
    {
        "slug": "zhengwu-gongkai",
        "title": "政务公开",
        "description": "政府信息主动公开，信息形成或变更之日起 20 个工作日内公开。",
        "children": [
            {
                "slug": "danwei-gaikuang",
                "title": "单位概况",
                "children": [
                    {
                        "slug": "danwei-lingdao",
                        "title": "单位领导",
                        "kind": ColumnKind.LEADERS,
                        "departments": OFFICE,
                        "description": "局领导姓名、照片、职务、简历及分管工作。",
                    },
                    {
                        "slug": "zhuyao-zhize",
                        "title": "主要职责",
                        "kind": ColumnKind.STANDING,
                        "departments": OFFICE,
                        "description": "本局主要职责。",
                    },
                    {
                        "slug": "jigou-shezhi",
                        "title": "机构设置",
                        "kind": ColumnKind.STANDING,
                        "departments": OFFICE,
                        "description": "内设机构、下属事业单位及联系方式。",
                    },
                ],
            },
            {
                "slug": "danwei-dongtai",
                "title": "单位动态",
                "children": [
                    {
                        "slug": "renshi-renmian",
                        "title": "人事任免",
                        "kind": ColumnKind.APPOINTMENTS,
                        "departments": OFFICE,
                        "description": "干部任免信息。",
                    },
                    {
                        "slug": "tongzhi-gonggao",
                        "title": "通知公告",
                        "kind": ColumnKind.NOTICES,
                        "departments": ALL,
                        "freshness_days": 183,
                        "description": "本局发布的通知、公告、公示。",
                        "keywords": "通知,公告,公示",
                    },
                ],
            },
            {
                "slug": "zhongdian-lingyu",
                "title": "重点领域信息公开",
                "children": [
                    {
                        "slug": "xinxi-nianbao",
                        "title": "信息年报公开",
                        "kind": ColumnKind.ANNUAL_REPORTS,
                        "departments": OFFICE,
                        "description": "政府信息公开工作年度报告，每年 1 月 31 日前公开。",
                    },
                    {
                        "slug": "caizheng-yujuesuan",
                        "title": "财政预决算和三公经费",
                        "kind": ColumnKind.BUDGETS,
                        "departments": OFFICE,
                        "description": "部门预算、决算及“三公”经费。",
                    },
                    {
                        "slug": "anquan-shengchan",
                        "title": "安全生产",
                        "kind": ColumnKind.DISCLOSURE,
                        "departments": ["社会事务股", "办公室"],
                        "description": "民政服务机构安全生产工作。",
                    },
                    {
                        "slug": "jiage-shoufei",
                        "title": "价格和收费",
                        "kind": ColumnKind.DISCLOSURE,
                        "departments": ["社会事务股"],
                        "description": "殡葬等服务收费标准。",
                    },
                    {
                        "slug": "shehui-jiuzhu",
                        "title": "社会救助和社会福利",
                        "kind": ColumnKind.DISCLOSURE,
                        "departments": ["社会救助股", "养老服务股"],
                        "deadline_working_days": 10,
                        "freshness_days": 92,
                        "description": "低保、特困、临时救助及福利补贴信息。",
                        "keywords": "低保,特困,临时救助",
                    },
                ],
            },
            {
                "slug": "zhengwu-gongkai",
                "title": "政务公开",
                "children": [
                    {
                        "slug": "zhixing-gongkai",
                        "title": "执行公开",
                        "kind": ColumnKind.DISCLOSURE,
                        "departments": OFFICE,
                        "description": "重大决策、重点工作执行情况。",
                    },
                    {
                        "slug": "xingzheng-zhifa",
                        "title": "行政执法",
                        "kind": ColumnKind.DISCLOSURE,
                        "departments": ["社会事务股"],
                        "description": "行政执法公示信息。",
                    },
                    {
                        "slug": "shuang-suiji",
                        "title": "“双随机、一公开”抽查结果",
                        "kind": ColumnKind.DISCLOSURE,
                        "departments": ["社会事务股", "社会救助股"],
                        "description": "随机抽取检查对象、随机选派执法检查人员，抽查结果及时公开。",
                    },
                ],
            },
            {
                "slug": "zhengce-fagui",
                "title": "政策法规",
                "children": [
                    {
                        "slug": "yanglao-fuwu",
                        "title": "养老服务信息专栏",
                        "kind": ColumnKind.ELDERLY_CARE,
                        "departments": ["养老服务股"],
                        "deadline_working_days": 10,
                        "freshness_days": 92,
                        "description": "养老服务政策、机构名录与补贴信息。",
                        "keywords": "养老服务,养老机构",
                    },
                    {
                        "slug": "zhengce-fagui",
                        "title": "政策法规",
                        "kind": ColumnKind.POLICIES,
                        "departments": ALL,
                        "freshness_days": 183,
                        "description": "民政法律法规、规章及规范性文件。",
                        "keywords": "政策,法规,规范性文件",
                    },
                ],
            },
            {
                "slug": "gongkai-zhinan",
                "title": "政府信息公开指南",
                "kind": ColumnKind.GUIDE,
                "departments": OFFICE,
                "freshness_days": 183,
                "description": "本局政府信息公开的范围、方式、依申请公开的办理程序、收费和救济途径，随情况变化及时更新。",
                "keywords": "信息公开指南,依申请公开",
            },
            {
                "slug": "gongkai-zhidu",
                "title": "政府信息公开制度",
                "kind": ColumnKind.GUIDE,
                "departments": OFFICE,
                "freshness_days": 183,
                "description": "本局政府信息公开工作制度：保密审查、主动公开、依申请公开、考核与责任追究。",
                "keywords": "信息公开制度,保密审查",
            },
        ],
    },
    {
        "slug": "hudong",
        "title": "互动交流",
        "description": "群众留言、问答知识库与调查征集。",
        "children": [
            {
                "slug": "hudong-jiaoliu",
                "title": "互动交流",
                "kind": ColumnKind.QUESTIONS,
                "departments": ALL,
                "description": "群众留言与答复。",
            },
            {
                "slug": "wenda-zhishiku",
                "title": "问答知识库",
                "kind": ColumnKind.QA,
                "departments": ALL,
                "description": "民政业务常见问题解答。",
            },
            {
                "slug": "diaocha-zhengji",
                "title": "调查征集",
                "kind": ColumnKind.SURVEYS,
                "departments": ALL,
                "description": "政策文件征求意见与问卷调查。",
            },
        ],
    },
    {
        "slug": "banshi-fuwu",
        "title": "办事服务",
        "kind": ColumnKind.SERVICES,
        "departments": OFFICE,
        "description": "民政服务事项办事指南。",
    },
    {
        "slug": "wangzhan-lianjie",
        "title": "网站链接",
        "kind": ColumnKind.LINKS,
        "departments": OFFICE,
        "description": "上级部门及相关网站链接。",
    },
]


def iter_leaves(nodes=COLUMN_TREE):
    for node in nodes:
        if "kind" in node:
            yield node
        else:
            yield from iter_leaves(node["children"])
