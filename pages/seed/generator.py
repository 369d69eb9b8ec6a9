"""Bulk generated items for benchmarks (`seed_demo --items N`), with a progress bar."""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from ..models import DisclosurePage, NewsPage, NoticePage, PolicyPage

PHRASES = [
    "我局认真贯彻落实民政工作部署",
    "扎实推进社会救助兜底保障",
    "持续完善养老服务体系建设",
    "加强基层社会治理和社区服务",
    "规范最低生活保障审核确认",
    "做好困难群众冬春生活救助",
    "深化殡葬改革和婚俗改革",
    "推进区划地名标准化管理",
    "加强社会组织登记管理",
    "落实特困人员救助供养政策",
    "开展养老机构安全生产检查",
    "提升政务服务便民水平",
    "财政预算资金及时足额拨付",
    "强化救助资金监督管理",
    "开展儿童福利关爱保护行动",
]
TOWNS = ["长沙街道", "三埠街道", "水口镇", "赤坎镇", "月山镇", "塘口镇", "百合镇", "蚬冈镇", "金鸡镇"]
KIND_TO_CLASS = {
    "news": NewsPage,
    "notices": NoticePage,
    "disclosure": DisclosurePage,
    "policies": PolicyPage,
}


def _text(rng, sentences):
    return "。".join(f"{rng.choice(TOWNS)}{rng.choice(PHRASES)}" for _ in range(sentences)) + "。"


def generate_items(count, columns, departments, stdout=None, seed=2026):
    rng = random.Random(seed)
    targets = [c for c in columns.values() if c.kind in KIND_TO_CLASS]
    dept_list = list(departments.values())
    now = timezone.now()
    for i in tqdm(range(count), desc="生成信息", unit="条", file=getattr(stdout, "_out", None)):
        column = targets[i % len(targets)]
        cls = KIND_TO_CLASS[column.kind]
        published = now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 700))
        extra = {}
        if cls in (NoticePage, NewsPage):
            extra = dict(notice_kind="result", event_date=published.date())
        elif cls is PolicyPage:
            extra = dict(
                issuing_authority="开平市民政局",
                written_on=published.date(),
                document_number=f"开民〔{published.year}〕{i + 1}号",  # 文号 are unique
            )
        page = cls(
            title=f"{rng.choice(TOWNS)}{rng.choice(PHRASES)}（{i + 1}）",
            department=rng.choice(dept_list),
            formed_on=published.date(),
            body="".join(f"<p>{_text(rng, 4)}</p>" for _ in range(3)),
            live=True,
            has_unpublished_changes=False,
            first_published_at=published,
            last_published_at=published,
            **extra,
        )
        page._allow_live_creation = True  # benchmark data, created live without revisions
        with transaction.atomic():
            column.add_child(instance=page)
    return count
