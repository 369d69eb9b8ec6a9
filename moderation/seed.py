"""Demo organisation: departments, accounts and leadership roles (DESIGN.md §2). Idempotent:
everything is looked up by natural key and only created when missing."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from govportal.accounts.roles import (
    ADMINISTRATORS_GROUP,
    AUDIT_ADMINS_GROUP,
    LEADERS_GROUP,
    OPERATORS_GROUP,
    SECURITY_ADMINS_GROUP,
)

from .organisation import BureauLeadership, Department
from .setup import ensure_role_groups

DEMO_PASSWORD = "Demo#2026gov"

# username, family name, given name, group
DEMO_ACCOUNTS = [
    ("director", "陈", "国平", LEADERS_GROUP),
    ("ideology", "李", "卫东", LEADERS_GROUP),
    ("deputy_a", "王", "秀兰", LEADERS_GROUP),
    ("deputy_b", "赵", "建华", LEADERS_GROUP),
    ("head_jiuzhu", "黄", "志强", None),
    ("staff_jiuzhu", "林", "小燕", None),
    ("head_yanglao", "周", "丽萍", None),
    ("staff_yanglao", "吴", "晓明", None),
    ("head_shiwu", "郑", "海涛", None),
    ("staff_shiwu", "梁", "嘉怡", None),
    ("head_office", "何", "振宇", None),
    ("staff_office", "罗", "文静", None),
    ("operator", "谭", "敏", OPERATORS_GROUP),
    ("admin", "系统", "管理员", ADMINISTRATORS_GROUP),
    # 三员分立: the security and audit administrators are separate accounts.
    ("secadmin", "安全", "管理员", SECURITY_ADMINS_GROUP),
    ("auditor", "审计", "管理员", AUDIT_ADMINS_GROUP),
]

# name, kind, head, staff, supervising leader, is general office
DEMO_DEPARTMENTS = [
    ("办公室", Department.Kind.SECTION, "head_office", ["staff_office", "operator"], "deputy_b", True),
    ("社会救助股", Department.Kind.SECTION, "head_jiuzhu", ["staff_jiuzhu"], "deputy_a", False),
    ("养老服务股", Department.Kind.SECTION, "head_yanglao", ["staff_yanglao"], "deputy_a", False),
    ("社会事务股", Department.Kind.SECTION, "head_shiwu", ["staff_shiwu"], "deputy_b", False),
]


def seed_accounts(stdout=None):
    User = get_user_model()
    users = {}
    for username, family, given, group_name in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                last_name=family,
                first_name=given,
                email=f"{username}@mzj.example.cn",
                must_change_password=True,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            if stdout:
                stdout.write(f"  账号 {username} 已创建")
        elif user.is_superuser:
            # Earlier demos made `admin` a superuser; no everyday account is one (三员分立).
            type(user).objects.filter(pk=user.pk).update(is_superuser=False)
        users[username] = user
    return users


def seed_organisation(stdout=None):
    ensure_role_groups()
    users = seed_accounts(stdout)
    departments = {}
    for order, (name, kind, head, staff, leader, office) in enumerate(DEMO_DEPARTMENTS, 1):
        department = Department.objects.filter(name=name).first()
        if department is None:
            department = Department.objects.create(
                name=name,
                public_name=f"开平市民政局{name}",
                kind=kind,
                supervising_leader=users[leader],
                is_general_office=office,
                sort_order=order * 10,
            )
            department.heads.set([users[head]])
        # Members added to the demo later (staff_office) join an existing department too.
        department.staff.add(*[users[s] for s in staff])
        departments[name] = department
    leadership = BureauLeadership.load()
    if leadership.director_id is None or leadership.ideology_leader_id is None:
        leadership.director = leadership.director or users["director"]
        leadership.ideology_leader = leadership.ideology_leader or users["ideology"]
        leadership.save()
    return users, departments
