"""Every model of the moderation app, defined in the module of its part and gathered here so
that Django finds them: the organisation (departments, heads, supervising leaders), the
working-day calendar, the approval chain and what hangs off it. Nothing in this app imports
this module; other apps may."""

from .calendar import SpecialDay, WorkdayCalendarYear  # noqa: F401
from .chain import (  # noqa: F401
    ChainClearance,
    ChainRouting,
    ChainTaskState,
    Delegation,
    DepartmentHeadTask,
    DirectorReviewTask,
    IdeologyReviewTask,
    OfficePublishTask,
    SupervisingLeaderTask,
)
from .confidentiality import ConfidentialityReview, FindingDismissal  # noqa: F401
from .desk import SubmissionRecord  # noqa: F401
from .notifications import AdminNotification  # noqa: F401
from .organisation import BureauLeadership, Department  # noqa: F401
from .withdrawal import Withdrawal  # noqa: F401
