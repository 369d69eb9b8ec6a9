"""The disclosure catalogue's reference lists, kept by the Office: the 主题分类 list (following
the national government-information subject classification) and the statutory list of what
the bureau must disclose proactively (《政府信息公开条例》 Art. 20), each kind mapped to the
columns where it is published."""

from django.core.exceptions import ValidationError
from django.db import models


class DisclosureTopic(models.Model):
    """A 主题分类 of the catalogue; items store its code. Grouped under the national class
    (国务院公文主题分类) it belongs to."""

    code = models.SlugField("代码", max_length=20, unique=True, help_text="英文小写代码，保存后不应修改。")
    name = models.CharField("名称", max_length=40, unique=True)
    national_category = models.CharField(
        "国家主题分类", max_length=40, help_text="所属的国家政府信息主题分类大类，如“民政、扶贫、救灾”。"
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=100)
    active = models.BooleanField(
        "启用", default=True, help_text="停用后新信息不能再选择此分类，已有信息不受影响。"
    )

    class Meta:
        verbose_name = "主题分类"
        verbose_name_plural = "主题分类"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.pk:
            stored = DisclosureTopic.objects.filter(pk=self.pk).values_list("code", flat=True).first()
            if stored and stored != self.code:
                raise ValidationError({"code": "分类代码已被信息使用，不能修改；可修改名称。"})


def topic_labels():
    """code -> name of every topic (inactive ones included: old items keep their label)."""
    return dict(DisclosureTopic.objects.values_list("code", "name"))


def topic_choices():
    """The active topics grouped by national class, for a select with option groups."""
    groups = {}
    for topic in DisclosureTopic.objects.filter(active=True):
        groups.setdefault(topic.national_category, []).append((topic.code, topic.name))
    return list(groups.items())


class StatutoryDisclosureKind(models.Model):
    """A kind of information the bureau must disclose proactively (Art. 20 and the
    civil-affairs standard catalogues), and the columns that publish it."""

    name = models.CharField("公开事项", max_length=100, unique=True)
    legal_basis = models.CharField("依据", max_length=200)
    required = models.BooleanField("必须公开", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)
    columns = models.ManyToManyField(
        "pages.ColumnPage", verbose_name="发布栏目", blank=True, related_name="statutory_kinds"
    )

    class Meta:
        verbose_name = "法定主动公开事项"
        verbose_name_plural = "法定主动公开事项"
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name
