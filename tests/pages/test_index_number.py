"""The disclosure index number (索引号): `<organisation code>/<year>-<5-digit serial>`, where the
year is the year the information was formed (成文日期, else 信息形成日期); given when an item is
first published, so serials run without gaps; only the bureau's government information takes
one (no questions, links or reposts); unique — also under concurrent publication — and never
copied."""

import datetime
import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from moderation.demo_chain import advance, author_for, quietly, submit
from pages.models import ITEM_PAGE_MODELS, NewsPage, NoticePage, QuestionPage, SiteIdentity
from pages.models.base import next_index_number
from tests.pages.test_permissions import form_data

pytestmark = pytest.mark.django_db


def _pattern(year):
    org = re.escape(SiteIdentity.load().org_code)
    return re.compile(rf"^{org}/{year}-\d{{5}}$")


def _all_numbers():
    return [
        n for model in ITEM_PAGE_MODELS for n in model.objects.values_list("index_number", flat=True) if n
    ]


def _serials(year):
    prefix = f"{SiteIdentity.load().org_code}/{year}-"
    return sorted(int(n[len(prefix) :]) for n in _all_numbers() if n.startswith(prefix))


def publish(page):
    with quietly():
        submit(page, author_for(page.department))
        advance(page, 5)
    page.refresh_from_db()
    return page


def _news(demo, title, formed_on=None, **fields):
    page = NewsPage(
        title=title,
        department=demo.departments["办公室"],
        formed_on=formed_on or datetime.date(2026, 11, 2),
        **fields,
    )
    demo.columns["gongzuo-dongtai"].add_child(instance=page)
    return page


def test_every_catalogue_item_has_a_well_formed_unique_number(demo):
    numbers = _all_numbers()
    assert numbers and len(numbers) == len(set(numbers))
    org = SiteIdentity.load().org_code
    assert all(re.fullmatch(rf"{re.escape(org)}/\d{{4}}-\d{{5}}", n) for n in numbers)
    # The demo's serials of each year run 1, 2, 3, … without a gap.
    for year in (2024, 2025, 2026):
        serials = _serials(year)
        assert serials == list(range(1, len(serials) + 1)), year


def test_year_is_the_year_the_information_was_formed(demo):
    page = _news(demo, "测试索引号年份", formed_on=datetime.date(2024, 6, 3))
    assert page.index_number == ""  # a draft has none yet
    publish(page)
    assert _pattern(2024).match(page.index_number)
    assert int(page.index_number[-5:]) == len(_serials(2024))


def test_a_documents_year_is_its_written_date(demo):
    page = NoticePage(
        title="测试通知成文日期",
        department=demo.departments["办公室"],
        formed_on=datetime.date(2026, 11, 20),
        written_on=datetime.date(2025, 12, 30),
        notice_kind="result",
        event_date=datetime.date(2026, 11, 19),
    )
    demo.columns["tongzhi-gonggao"].add_child(instance=page)
    publish(page)
    assert _pattern(2025).match(page.index_number)


def test_serials_have_no_gaps_from_drafts_questions_or_reposts(demo):
    before = _serials(2026)
    _news(demo, "从未发布的草稿")
    repost = publish(
        _news(
            demo,
            "转载：省厅通知",
            is_repost=True,
            source="广东省民政厅",
            source_url="http://smzt.gd.gov.cn/a.html",
        )
    )
    question = QuestionPage(
        title="测试留言", department=demo.departments["社会救助股"], question="请问低保怎么申请？"
    )
    demo.columns["hudong-jiaoliu"].add_child(instance=question)
    publish(question)
    assert repost.index_number == "" and question.index_number == ""
    own = publish(_news(demo, "本局工作动态"))
    assert _serials(2026) == before + [len(before) + 1]
    assert own.index_number.endswith(f"-{len(before) + 1:05d}")


def test_number_is_kept_on_later_edits_and_republication(demo):
    page = publish(_news(demo, "测试索引号保持"))
    number = page.index_number
    page.title = "测试索引号保持（修改）"
    page.formed_on = datetime.date(2023, 1, 5)
    page.save_revision()
    publish(page)
    assert page.index_number == number


def test_number_is_read_only_in_the_editor(login, demo):
    client = login("staff_jiuzhu")
    page = NoticePage.objects.filter(department=demo.departments["社会救助股"]).first()
    url = f"/admin/pages/{page.pk}/edit/"
    data = form_data(client.get(url), "page-edit-form")
    data.update({"attachments-count": "0", "index_number": "伪造/2020-00001"})
    assert client.post(url, data).status_code == 302
    page.refresh_from_db()
    assert page.index_number != "伪造/2020-00001"
    assert page.get_latest_revision_as_object().index_number == page.index_number


def test_a_colliding_number_is_refused_in_chinese(demo):
    taken = NoticePage.objects.exclude(index_number="").first()
    page = NewsPage.objects.filter(is_repost=False).exclude(index_number="").first()
    page.index_number = taken.index_number
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert f"索引号“{taken.index_number}”已被《{taken.title}》使用" in str(error.value)


def test_copy_takes_neither_number_of_its_source(login, demo):
    client = login("operator")
    source = NoticePage.objects.first()
    response = client.post(
        f"/admin/pages/{source.pk}/copy/",
        {
            "new_title": source.title + "（副本）",
            "new_slug": "fuben",
            "new_parent_page": str(source.get_parent().pk),
        },
    )
    assert response.status_code == 302
    copy = NoticePage.objects.get(title=source.title + "（副本）")
    # A copy is a new draft: neither the source's 索引号 nor its 文号 (both unique) come along.
    assert copy.index_number == "" and copy.document_number == ""
    assert copy.get_latest_revision_as_object().index_number == ""


def test_copy_in_code_gets_no_number_of_its_source(demo):
    source = NewsPage.objects.exclude(index_number="").first()
    copy = source.copy(update_attrs={"slug": "copy-in-code", "title": "副本"})
    assert copy.index_number != source.index_number
    assert len(set(_all_numbers())) == len(_all_numbers())


def _flush_safe():
    # After a transactional test the database is flushed, which also removes Wagtail's root
    # page and collection; conftest must put them back before re-seeding.
    from tests import conftest

    return hasattr(conftest, "_restore_wagtail_roots")


def _sqlite_waits_for_writers():
    # A deferred SQLite transaction that reads and then writes fails at once with "database
    # is locked" when another writer holds the lock; IMMEDIATE transactions wait instead.
    from django.db import connection

    if connection.vendor != "sqlite":
        return True
    return connection.settings_dict.get("OPTIONS", {}).get("transaction_mode") == "IMMEDIATE"


def _apply(marks):
    def decorate(function):
        for mark in reversed(marks):
            function = mark(function)
        return function

    return decorate


concurrent = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not _flush_safe(), reason="conftest cannot re-seed after a flush"),
    pytest.mark.xfail(
        not _sqlite_waits_for_writers(),
        reason="SQLite without transaction_mode=IMMEDIATE: concurrent writers fail",
        strict=True,
    ),
]


def _run_in_threads(count, target):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(i):
        try:
            barrier.wait()
            results.append(target(i))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's connection: the test database can be dropped

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@_apply(concurrent)
def test_numbers_unique_under_concurrent_reservation():
    results, errors = _run_in_threads(8, lambda i: [next_index_number() for _ in range(5)])
    assert not errors, errors
    numbers = [n for batch in results for n in batch]
    assert len(numbers) == 40
    assert len(set(numbers)) == 40


@_apply(concurrent)
def test_serials_unique_and_gap_free_under_concurrent_publication():
    from moderation.models import Department
    from pages.models import ColumnPage

    column = ColumnPage.objects.get(slug="gongzuo-dongtai")
    department = Department.objects.get(name="办公室")
    pages = []
    for i in range(6):
        page = NewsPage(
            title=f"并发发布信息{i}",
            slug=f"concurrent-{i}",
            department=department,
            formed_on=datetime.date(2023, 3, i + 1),
        )
        column.add_child(instance=page)
        pages.append(page.pk)

    def publish_one(i):
        return publish(NewsPage.objects.get(pk=pages[i])).index_number

    results, errors = _run_in_threads(6, publish_one)
    assert not errors, errors
    assert len(set(results)) == 6
    assert _serials(2023) == [1, 2, 3, 4, 5, 6]


def test_pattern_is_configurable(demo, settings):
    settings.GOVPORTAL_INDEX_NUMBER_PATTERN = "MZJ-{year}-{serial:06d}"
    assert re.fullmatch(r"MZJ-2019-\d{6}", next_index_number(2019))
