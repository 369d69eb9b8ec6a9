"""The project's Chinese catalogues (govportal/**/locale): compiled, consistent, and in force."""

import gettext
import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted(ROOT.glob("govportal/**/locale/*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}")
POSITIONAL = {"%s", "%d"}


def _translated(po):
    return [entry for entry in po if entry.translated()]


def test_there_are_catalogues():
    assert {path.name for path in CATALOGUES} >= {"django.po", "djangojs.po"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_mo_is_the_compiled_po(path):
    # `make messages` compiles; a .po edited without compiling would silently not apply.
    with open(path.with_suffix(".mo"), "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for entry in _translated(polib.pofile(str(path))):
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            assert compiled._catalog[(key, 0)] == entry.msgstr_plural[0], entry.msgid
        else:
            assert compiled._catalog[key] == entry.msgstr, entry.msgid


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_translations_use_only_the_placeholders_they_are_given(path):
    # A misspelt %(name)s turns a screen into a KeyError; a named one may be left out (the
    # editor guide's version number), a positional one may not.
    for entry in _translated(polib.pofile(str(path))):
        source = PLACEHOLDER.findall(entry.msgid_plural or entry.msgid)
        target = PLACEHOLDER.findall(entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr)
        assert set(target) <= set(source), entry.msgid
        assert sorted(p for p in target if p in POSITIONAL) == sorted(p for p in source if p in POSITIONAL)


def test_project_catalogue_fills_wagtails_gaps():
    with translation.override("zh-hans"):
        assert translation.gettext("Search all pages…") == "搜索全部页面…"
        assert translation.gettext("Your pages and snippets in a workflow") == "我提交审批的内容"
