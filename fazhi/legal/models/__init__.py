"""Models of the legal casework app: 行政复议 and 行政应诉 on the case engine."""

from fazhi.legal.models.documents import DocumentKind, DocumentSequence, DocumentTemplate, LegalDocument
from fazhi.legal.models.litigation import (
    HEAD_CAPACITIES,
    Attendance,
    Attendee,
    CourtHearing,
    Defendant,
    JudgmentType,
    Lawsuit,
    Result,
)
from fazhi.legal.models.reconsideration import (
    ActCategory,
    AnswerFile,
    FollowUp,
    Hearing,
    Outcome,
    PartyKind,
    Procedure,
    Reconsideration,
    ReconsiderationBody,
    RespondentAnswer,
)
from fazhi.legal.models.settings import FigureSettings

__all__ = [
    "HEAD_CAPACITIES",
    "ActCategory",
    "AnswerFile",
    "Attendance",
    "Attendee",
    "CourtHearing",
    "Defendant",
    "DocumentKind",
    "DocumentSequence",
    "DocumentTemplate",
    "FigureSettings",
    "FollowUp",
    "Hearing",
    "JudgmentType",
    "Lawsuit",
    "LegalDocument",
    "Outcome",
    "PartyKind",
    "Procedure",
    "Reconsideration",
    "ReconsiderationBody",
    "RespondentAnswer",
    "Result",
]
