"""The data model: one module per part of the domain. Importing this package registers every table."""
from tracker.models.assessments import ImpactAssessment
from tracker.models.audit import AuditEntry, SiteFact
from tracker.models.board import BoardMembership
from tracker.models.concerns import Concern, ConcernStep
from tracker.models.engagement import (
    EngagementEvent,
    EventTopic,
    EvidenceDocument,
    Participation,
    ParticipationStatusChange,
)
from tracker.models.import_jobs import ImportJob
from tracker.models.notifications import Notification, NotificationPreference, PasswordReset
from tracker.models.organisations import CCG, HWB, Provider, hwb_ccg, provider_footprint
from tracker.models.plans import ConditionDeclaration, Plan
from tracker.models.reviews import AssuranceReview, CriteriaSettings, ReviewCondition
from tracker.models.summaries import EngagementSummary
from tracker.models.users import ApiToken, IdempotentRequest, KeptForm, User, UserSession

__all__ = [
    "ApiToken", "AssuranceReview", "AuditEntry", "BoardMembership", "CCG", "Concern", "ConcernStep",
    "ConditionDeclaration", "CriteriaSettings", "EngagementEvent", "EngagementSummary",
    "EventTopic", "EvidenceDocument", "HWB",
    "IdempotentRequest", "ImpactAssessment", "ImportJob", "KeptForm", "Notification", "NotificationPreference",
    "Participation", "ParticipationStatusChange", "PasswordReset", "Plan", "Provider", "ReviewCondition", "SiteFact",
    "User", "UserSession",
    "hwb_ccg", "provider_footprint",
]
