"""factory_boy factories, one module per app (`from tests import factories as f`, then
`f.SessionFactory(council=...)`). Defaults make a record that names its council's code, as the
access matrix's world needs (a leak shows in a page's body)."""

from .core import (
    ActivityReportFactory,
    AgencyFactory,
    AttachmentFactory,
    CouncilFactory,
    DelegateFactory,
    FollowUpFactory,
    GeneratedDocumentFactory,
    MembershipFactory,
    OrganFactory,
    RoleFactory,
    TermFactory,
    UserFactory,
)
from .petitions import (
    PetitionFactory,
    PetitionItemFactory,
    ReceptionRecordFactory,
    ReceptionScheduleFactory,
    VoterMeetingFactory,
    VoterRecommendationFactory,
)
from .resolutions import ResolutionFactory, ResolutionRelationFactory, SubmissionFactory
from .sessions import (
    AgendaItemFactory,
    ConfidenceVoteFactory,
    MeetingFactory,
    SessionFactory,
    SittingFactory,
    VoteFactory,
)
from .supervision import (
    ActivityFactory,
    ExplanationFactory,
    FieldVisitFactory,
    ProgrammeFactory,
    ProgrammeItemFactory,
    QuestionFactory,
    QuestioningFactory,
    SupervisedBodyFactory,
)

__all__ = [
    "ActivityFactory",
    "ActivityReportFactory",
    "AgencyFactory",
    "AgendaItemFactory",
    "AttachmentFactory",
    "ConfidenceVoteFactory",
    "CouncilFactory",
    "DelegateFactory",
    "ExplanationFactory",
    "FieldVisitFactory",
    "FollowUpFactory",
    "GeneratedDocumentFactory",
    "MeetingFactory",
    "MembershipFactory",
    "OrganFactory",
    "PetitionFactory",
    "PetitionItemFactory",
    "ProgrammeFactory",
    "ProgrammeItemFactory",
    "QuestionFactory",
    "QuestioningFactory",
    "ReceptionRecordFactory",
    "ReceptionScheduleFactory",
    "ResolutionFactory",
    "ResolutionRelationFactory",
    "RoleFactory",
    "SessionFactory",
    "SittingFactory",
    "SubmissionFactory",
    "SupervisedBodyFactory",
    "TermFactory",
    "UserFactory",
    "VoteFactory",
    "VoterMeetingFactory",
    "VoterRecommendationFactory",
]
