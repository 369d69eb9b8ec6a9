"""The Office's starting reference lists of the disclosure catalogue: 主题分类 following the
national government-information subject classification (国务院公文主题分类; the civil-affairs
topics under 民政、扶贫、救灾), and the statutory proactive-disclosure list (《政府信息公开条例》
Art. 12, 20, 49–50 and the civil-affairs standard catalogues). Loaded by a migration and, after
a flushed database, by seed_demo; the Office edits them in the admin afterwards."""

CIVIL_AFFAIRS = "民政、扶贫、救灾"
TOPICS = [
    # code, name, national class
    ("general", "民政综合", CIVIL_AFFAIRS),
    ("assistance", "社会救助", CIVIL_AFFAIRS),
    ("disaster_relief", "减灾救灾", CIVIL_AFFAIRS),
    ("elderly", "养老服务", CIVIL_AFFAIRS),
    ("children", "儿童福利", CIVIL_AFFAIRS),
    ("disability", "残疾人福利", CIVIL_AFFAIRS),
    ("charity", "慈善与社会工作", CIVIL_AFFAIRS),
    ("organisations", "社会组织", CIVIL_AFFAIRS),
    ("marriage", "婚姻登记", CIVIL_AFFAIRS),
    ("funeral", "殡葬管理", CIVIL_AFFAIRS),
    ("place_names", "区划地名", CIVIL_AFFAIRS),
    ("affairs", "社会事务", CIVIL_AFFAIRS),
    ("gov_affairs", "政务公开", "综合政务"),
    ("emergency", "应急管理", "综合政务"),
    ("finance", "财政预决算", "财政、金融、审计"),
    ("fees", "行政事业性收费", "财政、金融、审计"),
    ("personnel", "机构人事", "劳动、人事、监察"),
    ("safety", "安全生产", "市场监管、安全生产监管"),
    ("enforcement", "行政执法", "公安、安全、司法"),
    ("other", "其他", "其他"),
]

STATUTORY_KINDS = [
    # name, legal basis, required
    ("政府信息公开指南", "《政府信息公开条例》第十二条", True),
    ("政府信息公开制度", "《政府信息公开条例》第三条、第十二条", True),
    (
        "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
        "《政府信息公开条例》第二十条第（二）项",
        True,
    ),
    ("规章和行政规范性文件", "《政府信息公开条例》第二十条第（一）项", True),
    ("发展规划、专项规划及相关政策", "《政府信息公开条例》第二十条第（三）项", True),
    ("民政统计信息", "《政府信息公开条例》第二十条第（四）项", True),
    (
        "行政许可和其他对外管理服务事项的依据、条件、程序及办理结果",
        "《政府信息公开条例》第二十条第（五）项",
        True,
    ),
    ("行政处罚、行政强制的依据、条件、程序及处罚决定", "《政府信息公开条例》第二十条第（六）项", True),
    ("财政预算、决算信息", "《政府信息公开条例》第二十条第（七）项", True),
    ("行政事业性收费项目及其依据、标准", "《政府信息公开条例》第二十条第（八）项", True),
    ("政府集中采购项目的目录、标准及实施情况", "《政府信息公开条例》第二十条第（九）项", False),
    (
        "社会救助、社会福利的政策、标准及实施情况",
        "《政府信息公开条例》第二十条第（十一）项；民政部社会救助、养老服务领域基层政务公开标准目录",
        True,
    ),
    ("突发公共事件应急预案、预警信息及应对情况", "《政府信息公开条例》第二十条第（十二）项", True),
    ("安全生产监督检查情况", "《政府信息公开条例》第二十条第（十三）项", True),
    ("人事任免及公务员招考录用", "《政府信息公开条例》第二十条第（十四）项", False),
    ("政府信息公开工作年度报告", "《政府信息公开条例》第四十九条、第五十条", True),
]


def ensure_disclosure_lists(topic_model, kind_model):
    """Create the entries that are missing (by natural key); never touch edited ones."""
    for order, (code, name, category) in enumerate(TOPICS, start=1):
        topic_model.objects.get_or_create(
            code=code, defaults={"name": name, "national_category": category, "sort_order": order * 10}
        )
    for order, (name, basis, required) in enumerate(STATUTORY_KINDS, start=1):
        kind_model.objects.get_or_create(
            name=name, defaults={"legal_basis": basis, "required": required, "sort_order": order * 10}
        )
