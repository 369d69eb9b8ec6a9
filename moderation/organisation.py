"""The organisation of the bureau: departments, their heads, staff and supervising leaders."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class Department(models.Model):
    """A section (股室) or affiliated institution (下属事业单位) that owns columns and items."""

    class Kind(models.TextChoices):
        SECTION = "section", "股室"
        INSTITUTION = "institution", "下属事业单位"

    name = models.CharField("部门名称", max_length=60, unique=True)
    public_name = models.CharField(
        "对外公开名称", max_length=100, blank=True, help_text="在公众网站上显示的名称；留空则使用部门名称。"
    )
    kind = models.CharField("部门类型", max_length=20, choices=Kind.choices, default=Kind.SECTION)
    is_general_office = models.BooleanField(
        "办公室（网站主管部门）", default=False, help_text="网站工作领导小组办公室所在部门。"
    )
    heads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="部门负责人",
        related_name="headed_departments",
        help_text="负责初步审批（保密审查及科室初审），至少一人。",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="具体工作人员",
        related_name="staffed_departments",
        blank=True,
        help_text="负责拟稿、校对、报送本部门栏目的信息。",
    )
    supervising_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="分管领导",
        related_name="supervised_departments",
        on_delete=models.PROTECT,
    )
    sort_order = models.PositiveIntegerField("排序", default=100)
    group = models.OneToOneField(
        Group, editable=False, null=True, on_delete=models.SET_NULL, related_name="department"
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("public_name"), FieldPanel("kind"), FieldPanel("sort_order")],
            heading="基本信息",
        ),
        MultiFieldPanel(
            [FieldPanel("heads"), FieldPanel("staff"), FieldPanel("supervising_leader")],
            heading="人员与分管",
        ),
        FieldPanel("is_general_office"),
    ]

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.public_name or self.name

    def members(self):
        """Heads and staff together: everyone who drafts for this department."""
        return (
            get_user_model()
            .objects.filter(models.Q(headed_departments=self) | models.Q(staffed_departments=self))
            .distinct()
        )


@register_setting(icon="user")
class BureauLeadership(BaseGenericSetting):
    """The bureau-wide roles of the approval chain: the Director and the ideology leader."""

    director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="党组书记、局长（终审）",
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ideology_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="分管意识形态工作负责同志（复核）",
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    panels = [FieldPanel("director"), FieldPanel("ideology_leader")]

    class Meta:
        verbose_name = "局领导分工"

    def clean(self):
        for field in ("director", "ideology_leader"):
            user = getattr(self, field)
            if user is not None and not user.is_active:
                raise ValidationError({field: f"{user.display_name} 的账号已停用，不能担任此审批角色。"})

    def leader_ids(self):
        return {pk for pk in (self.director_id, self.ideology_leader_id) if pk}
