"""The content model: one module per page type family, all built on pages.models.base."""

from .base import (  # noqa: F401
    BaseItemPage,
    CategoryPage,
    ColumnKind,
    ColumnPage,
    DeadlineBasis,
    DocumentItemPage,
    GovPage,
    HomePage,
    IndexNumberSequence,
    SectionPage,
    SiteIdentity,
)
from .bureau import AppointmentPage, LeaderProfilePage, StandingPage  # noqa: F401
from .catalogue import DisclosureTopic, StatutoryDisclosureKind  # noqa: F401
from .disclosure import AnnualReportPage, BudgetPage, DisclosurePage  # noqa: F401
from .interaction import QAEntryPage, QuestionPage, SurveyPage  # noqa: F401
from .news import NewsPage, NoticePage, TimelyKind  # noqa: F401
from .policy import PolicyPage  # noqa: F401
from .services import LinkPage, ServiceGuidePage  # noqa: F401

ITEM_PAGE_MODELS = [
    NewsPage,
    NoticePage,
    LeaderProfilePage,
    StandingPage,
    AppointmentPage,
    AnnualReportPage,
    BudgetPage,
    DisclosurePage,
    PolicyPage,
    QuestionPage,
    QAEntryPage,
    SurveyPage,
    ServiceGuidePage,
    LinkPage,
]

# The item types that are documents (文号, 发布机构, 成文日期, 有效性): the clean-up queue's scope.
DOCUMENT_PAGE_MODELS = [model for model in ITEM_PAGE_MODELS if issubclass(model, DocumentItemPage)]
