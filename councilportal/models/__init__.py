"""The core's models, one module per mechanism, all re-exported here: migrations, the other apps
and the migration-referenced callables (`document_upload_to`, `attachment_upload_to`) import
them as `councilportal.models.X`."""

from councilportal.models.councils import (
    Agency,
    AgencyKind,
    Council,
    CouncilLevel,
    CouncilQuerySet,
    Delegate,
    DelegateQuerySet,
    Gender,
    Membership,
    Organ,
    OrganKind,
    Position,
    Role,
    RoleAssignment,
    ScopedQuerySet,
    Term,
    scoped_queryset,
)
from councilportal.models.documents import (
    Attachment,
    DocumentStatus,
    GeneratedDocument,
    attachment_upload_to,
    document_upload_to,
)
from councilportal.models.follow_ups import (
    FollowUp,
    FollowUpAnswer,
    FollowUpQuerySet,
    FollowUpStatus,
)
from councilportal.models.notifications import Notification, NotificationQuerySet
from councilportal.models.reports import ActivityReport
from councilportal.models.rules import (
    CalendarOverride,
    CalendarOverrideKind,
    Rule,
    RuleMissing,
    RuleUnit,
    rule,
)

__all__ = [
    "ActivityReport",
    "Agency",
    "AgencyKind",
    "Attachment",
    "CalendarOverride",
    "CalendarOverrideKind",
    "Council",
    "CouncilLevel",
    "CouncilQuerySet",
    "Delegate",
    "DelegateQuerySet",
    "DocumentStatus",
    "FollowUp",
    "FollowUpAnswer",
    "FollowUpQuerySet",
    "FollowUpStatus",
    "Gender",
    "GeneratedDocument",
    "Membership",
    "Notification",
    "NotificationQuerySet",
    "Organ",
    "OrganKind",
    "Position",
    "Role",
    "RoleAssignment",
    "Rule",
    "RuleMissing",
    "RuleUnit",
    "ScopedQuerySet",
    "Term",
    "attachment_upload_to",
    "document_upload_to",
    "rule",
    "scoped_queryset",
]
