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
from tracker.models.organisations import CCG, HWB, Provider, hwb_ccg, provider_footprint
from tracker.models.plans import ConditionDeclaration, Plan
from tracker.models.reviews import AssuranceReview, CriteriaSettings, ReviewCondition
from tracker.models.summaries import EngagementSummary
from tracker.models.users import ApiToken, IdempotentRequest, KeptForm, User

__all__ = [
    "ApiToken", "AssuranceReview", "AuditEntry", "BoardMembership", "CCG", "Concern", "ConcernStep",
    "ConditionDeclaration", "CriteriaSettings", "EngagementEvent", "EngagementSummary",
    "EventTopic", "EvidenceDocument", "HWB",
    "IdempotentRequest", "ImpactAssessment", "ImportJob", "KeptForm", "Participation", "ParticipationStatusChange",
    "Plan",
    "Provider", "ReviewCondition", "SiteFact", "User",
    "hwb_ccg", "provider_footprint",
]
