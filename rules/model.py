"""The case export, version 1 (``shared/spec/case-export.md``), as frozen attrs classes.

Absent optional fields are ``None`` and absent lists are empty tuples: "not recorded" is exactly what
an audit must see, so nothing here invents a value.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from attrs import field, frozen

Date = dt.date


class LegalOutcome(StrEnum):
    REFERRAL_ORDER = "REFERRAL_ORDER"
    YOUTH_REHABILITATION_ORDER = "YOUTH_REHABILITATION_ORDER"
    DETENTION_AND_TRAINING_ORDER = "DETENTION_AND_TRAINING_ORDER"
    SECTION_250 = "SECTION_250"
    YOUTH_CONDITIONAL_CAUTION = "YOUTH_CONDITIONAL_CAUTION"
    YOUTH_CAUTION = "YOUTH_CAUTION"
    COMMUNITY_RESOLUTION_WITH_YJS_INVOLVEMENT = "COMMUNITY_RESOLUTION_WITH_YJS_INVOLVEMENT"
    OTHER = "OTHER"


class OutcomeGroup(StrEnum):
    PRE_COURT = "PRE_COURT"
    FIRST_TIER = "FIRST_TIER"
    COMMUNITY = "COMMUNITY"
    CUSTODY = "CUSTODY"


#: How ``legal_outcome_group`` is derived when the export leaves it out (CLD groupings).
OUTCOME_GROUP = {
    LegalOutcome.REFERRAL_ORDER: OutcomeGroup.FIRST_TIER,
    LegalOutcome.YOUTH_REHABILITATION_ORDER: OutcomeGroup.COMMUNITY,
    LegalOutcome.DETENTION_AND_TRAINING_ORDER: OutcomeGroup.CUSTODY,
    LegalOutcome.SECTION_250: OutcomeGroup.CUSTODY,
    LegalOutcome.YOUTH_CONDITIONAL_CAUTION: OutcomeGroup.PRE_COURT,
    LegalOutcome.YOUTH_CAUTION: OutcomeGroup.PRE_COURT,
    LegalOutcome.COMMUNITY_RESOLUTION_WITH_YJS_INVOLVEMENT: OutcomeGroup.PRE_COURT,
}


class Sex(StrEnum):
    MALE = "MALE"
    FEMALE = "FEMALE"
    NOT_KNOWN = "NOT_KNOWN"


class InterventionLevel(StrEnum):
    STANDARD = "STANDARD"
    ENHANCED = "ENHANCED"
    INTENSIVE = "INTENSIVE"


class AssessmentKind(StrEnum):
    CORE = "CORE"
    ROSH_SCREENING = "ROSH_SCREENING"
    ROSH_FULL = "ROSH_FULL"
    VULNERABILITY_SCREENING = "VULNERABILITY_SCREENING"
    VULNERABILITY_FULL = "VULNERABILITY_FULL"


class Stage(StrEnum):
    START = "START"
    REVIEW = "REVIEW"
    END = "END"
    PSR = "PSR"
    TRANSFER_IN = "TRANSFER_IN"
    OTHER = "OTHER"


class Level(StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    VERY_HIGH = "VERY_HIGH"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.LOW: 0, Level.MEDIUM: 1, Level.HIGH: 2, Level.VERY_HIGH: 3}


class PlanKind(StrEnum):
    INTERVENTION_PLAN = "INTERVENTION_PLAN"
    REFERRAL_ORDER_CONTRACT = "REFERRAL_ORDER_CONTRACT"
    SENTENCE_PLAN = "SENTENCE_PLAN"
    RISK_MANAGEMENT_PLAN = "RISK_MANAGEMENT_PLAN"
    VULNERABILITY_MANAGEMENT_PLAN = "VULNERABILITY_MANAGEMENT_PLAN"


MAIN_PLAN_KINDS = frozenset(
    {PlanKind.INTERVENTION_PLAN, PlanKind.REFERRAL_ORDER_CONTRACT, PlanKind.SENTENCE_PLAN}
)


class Addresses(StrEnum):
    LIKELIHOOD_OF_REOFFENDING = "LIKELIHOOD_OF_REOFFENDING"
    RISK_OF_HARM = "RISK_OF_HARM"
    SAFEGUARDING = "SAFEGUARDING"
    VICTIM_SAFETY = "VICTIM_SAFETY"
    DIVERSITY = "DIVERSITY"
    CONTINGENCY = "CONTINGENCY"


class ReviewReason(StrEnum):
    SCHEDULED = "SCHEDULED"
    SIGNIFICANT_CHANGE = "SIGNIFICANT_CHANGE"
    END_OF_ORDER = "END_OF_ORDER"
    TRANSFER = "TRANSFER"


class EventKind(StrEnum):
    SIGNIFICANT_CHANGE = "SIGNIFICANT_CHANGE"
    NEW_OFFENCE = "NEW_OFFENCE"
    CUSTODY = "CUSTODY"
    RELEASE = "RELEASE"
    CHANGE_OF_ADDRESS = "CHANGE_OF_ADDRESS"
    OTHER = "OTHER"


class ContactKind(StrEnum):
    OFFICE = "OFFICE"
    HOME_VISIT = "HOME_VISIT"
    PHONE = "PHONE"
    VIDEO = "VIDEO"
    INTERVENTION = "INTERVENTION"
    PARTNER_AGENCY = "PARTNER_AGENCY"


class ContactOutcome(StrEnum):
    ATTENDED = "ATTENDED"
    ACCEPTABLE_ABSENCE = "ACCEPTABLE_ABSENCE"
    UNACCEPTABLE_ABSENCE = "UNACCEPTABLE_ABSENCE"


class EnforcementKind(StrEnum):
    WARNING = "WARNING"
    BREACH = "BREACH"
    COMPLIANCE_PANEL = "COMPLIANCE_PANEL"


class OversightSubject(StrEnum):
    ROSH = "ROSH"
    VULNERABILITY = "VULNERABILITY"
    PLAN = "PLAN"
    ENFORCEMENT = "ENFORCEMENT"
    GENERAL = "GENERAL"


@frozen(weakref_slot=False)
class Child:
    date_of_birth: Date | None = None
    sex: Sex | None = None
    ethnicity: str | None = None
    looked_after: bool | None = None
    diversity_needs: tuple[str, ...] = ()


@frozen(weakref_slot=False)
class Assessment:
    id: str
    kind: AssessmentKind
    stage: Stage | None = None
    started_on: Date | None = None
    completed_on: Date | None = None
    level: Level | None = None
    full_analysis_required: bool | None = None
    victims_considered: bool | None = None
    self_assessment_used: bool | None = None
    learning_style_assessed: bool | None = None
    countersigned_by: str | None = None
    countersigned_on: Date | None = None


@frozen(weakref_slot=False)
class Plan:
    id: str
    kind: PlanKind | None = None
    created_on: Date | None = None
    countersigned_by: str | None = None
    countersigned_on: Date | None = None
    incorporates: tuple[str, ...] = ()
    addresses: tuple[Addresses, ...] = ()
    child_involved: bool | None = None
    parent_involved: bool | None = None
    contact_level_recorded: bool | None = None


@frozen(weakref_slot=False)
class Review:
    date: Date
    id: str | None = None
    reviews: tuple[str, ...] = ()
    reason: ReviewReason | None = None


@frozen(weakref_slot=False)
class Event:
    id: str | None = None
    date: Date | None = None
    kind: EventKind | None = None
    description: str | None = None


@frozen(weakref_slot=False)
class Contact:
    date: Date
    kind: ContactKind | None = None
    outcome: ContactOutcome | None = None
    by: str | None = None


@frozen(weakref_slot=False)
class Enforcement:
    date: Date | None = None
    kind: EnforcementKind | None = None
    relates_to: Date | None = None


@frozen(weakref_slot=False)
class Oversight:
    date: Date | None = None
    by: str | None = None
    subject: OversightSubject | None = None
    target: str | None = None
    note: str | None = None


@frozen(weakref_slot=False)
class Mappa:
    eligible: bool | None = None
    category: int | None = None
    level: int | None = None
    notified_on: Date | None = None
    referred_on: Date | None = None


@frozen(weakref_slot=False)
class Victim:
    id: str | None = None
    identified_on: Date | None = None
    contact_offered_on: Date | None = None
    views_recorded: bool | None = None
    declined: bool | None = None


@frozen(weakref_slot=False)
class Custody:
    secure_establishment_informed_on: Date | None = None
    release_on: Date | None = None


@frozen(weakref_slot=False)
class Case:
    case_id: str
    start_date: Date
    ypid: str | None = None
    child: Child | None = None
    case_manager: str | None = None
    team: str | None = None
    legal_outcome: LegalOutcome | None = None
    legal_outcome_group: OutcomeGroup | None = field(default=None)
    end_date: Date | None = None
    closed_on: Date | None = None
    transferred_in_on: Date | None = None
    intervention_level: InterventionLevel | None = None
    assessments: tuple[Assessment, ...] = ()
    plans: tuple[Plan, ...] = ()
    reviews: tuple[Review, ...] = ()
    events: tuple[Event, ...] = ()
    contacts: tuple[Contact, ...] = ()
    enforcement: tuple[Enforcement, ...] = ()
    oversight: tuple[Oversight, ...] = ()
    mappa: Mappa | None = None
    victims: tuple[Victim, ...] = ()
    custody: Custody | None = None

    @property
    def group(self) -> OutcomeGroup | None:
        """The outcome group as recorded, or derived from the legal outcome."""
        if self.legal_outcome_group is not None:
            return self.legal_outcome_group
        return OUTCOME_GROUP.get(self.legal_outcome) if self.legal_outcome else None


@frozen(weakref_slot=False)
class Service:
    name: str
    yot_code: str | None = None
    extracted_on: Date | None = None


@frozen(weakref_slot=False)
class Caseload:
    """Every case that loaded, from one or more export files."""

    service: Service
    cases: tuple[Case, ...] = ()
