from datetime import date

from fazhi.org.models import Unit, User
from fazhi.suggestions import services
from fazhi.suggestions.models import (
    Body,
    JudicialSuggestion,
    Proposal,
    Representative,
    Session,
    SuggestionKind,
)
from tests.cases.factories import at


def kind(code: str = "comprehensive") -> SuggestionKind:
    """A kind the data migration loads (comprehensive = 综合治理类司法建议, 2 months)."""
    return SuggestionKind.objects.select_related("case_type").get(code=code)


def register(actor: User, addressee: Unit, issuer: Unit, **kwargs) -> JudicialSuggestion:
    """A 综合治理类司法建议 received on 2024-09-27 unless told otherwise."""
    kwargs.setdefault("kind", kind())
    kwargs.setdefault("title", "关于规范房屋征收补偿程序的司法建议")
    kwargs.setdefault(
        "content", "法院在审理房屋征收补偿案件中发现评估报告送达程序存在瑕疵，建议完善工作流程。"
    )
    kwargs.setdefault("received_at", at(2024, 9, 27))
    return services.suggestion_register(actor=actor, issuer=issuer, addressee=addressee, **kwargs)


GOOD_REPLY = "我局已对评估报告送达程序进行全面梳理，修订了工作规程，并组织业务培训。"


def session(body: str = Body.CONGRESS, **kwargs) -> Session:
    defaults = {
        Body.CONGRESS: ("濮阳市第八届人民代表大会第四次会议", 8, 4),
        Body.CPPCC: ("政协濮阳市第九届委员会第四次会议", 9, 4),
    }
    name, term, meeting = defaults[body]
    kwargs.setdefault("opened_on", date(2024, 1, 10))
    return Session.objects.create(
        body=body, name=kwargs.pop("name", name), term=term, meeting=meeting, **kwargs
    )


def representative(
    body: str = Body.CONGRESS, name: str = "王建国", group: str = "华龙区代表团", **kw
) -> Representative:
    return Representative.objects.get_or_create(body=body, name=name, group=group, defaults=kw)[0]


def propose(actor: User, lead_unit: Unit, *, session: Session, number: str = "0123", **kwargs) -> Proposal:
    kwargs.setdefault("title", "关于加快推进老旧小区加装电梯的建议")
    kwargs.setdefault("content", "建议简化加装电梯审批流程，提高财政补贴标准，建立低楼层住户利益平衡机制。")
    kwargs.setdefault("lead_proposer", representative(session.body))
    kwargs.setdefault("received_at", at(2024, 2, 20))
    return services.proposal_register(
        actor=actor, session=session, number=number, lead_unit=lead_unit, **kwargs
    )


def metrics_world(world, rng) -> None:
    """Suggestions and proposals for the metrics tests' random city (tests/metrics/factories.py),
    written straight to the tables: replied on time and late, unreplied past and before their
    deadline, every adoption status; answered or not, with every satisfaction."""
    from datetime import timedelta

    from fazhi.cases.models import Case, CaseType, CaseUnit
    from fazhi.suggestions.models import (
        Adoption,
        JudicialSuggestion,
        ProposalAnswer,
        ProposalFeedback,
        Satisfaction,
        SuggestionReply,
    )
    from fazhi.suggestions.models import Proposal as ProposalModel
    from tests.metrics.factories import _day_of, _moment, local
    from tests.org.factories import UnitFactory

    court = UnitFactory(name="明湖市中级人民法院", kind=Unit.Kind.COURT, region=world.region)
    kinds = list(SuggestionKind.objects.select_related("case_type"))
    congress = Session.objects.create(
        body=Body.CONGRESS,
        name="明湖市第十七届人民代表大会第二次会议",
        term=17,
        meeting=2,
        opened_on=date(2024, 1, 5),
    )
    deputy = Representative.objects.create(body=Body.CONGRESS, name="王建国", group="湖滨区代表团")
    deputy_type = CaseType.objects.get(code="deputy_suggestion")

    def case(case_type, n: int, *, open_: bool) -> Case:
        received = _moment(rng)
        start = _day_of(received)
        made = Case.objects.create(
            number=f"T-{case_type.code}-S{n:04d}",
            case_type=case_type,
            title=f"测试建议{n}",
            handling_unit=rng.choice(world.departments),
            status=Case.Status.OPEN if open_ else Case.Status.CLOSED,
            received_at=received,
            start_date=start,
            due_date=start + timedelta(days=rng.randint(10, 60)),
            created_by=world.operator,
        )
        CaseUnit.objects.create(case=made, unit=made.handling_unit, role="lead", assigned_at=received)
        return made

    for n in range(24):
        replied = rng.random() < 0.7
        kind = rng.choice(kinds)
        made = case(kind.case_type, n, open_=not replied)
        suggestion = JudicialSuggestion.objects.create(
            case=made, kind=kind, issuer=court, period_source="kind"
        )
        if replied:
            on = made.start_date + timedelta(days=rng.randint(5, 70))
            made.closed_at = local(on, 16)
            made.save(update_fields=["closed_at"])
            adoption = rng.choice(Adoption.values)
            SuggestionReply.objects.create(
                suggestion=suggestion,
                adoption=adoption,
                reasons="" if adoption == Adoption.ADOPTED else "超出职权范围",
                text="已书面回复",
                replied_on=on,
                unit=made.handling_unit,
                replied_by=world.operator,
                due_date=made.due_date,
                on_time=on <= made.due_date,
            )
    for n in range(24):
        answered = rng.random() < 0.7
        made = case(deputy_type, 100 + n, open_=not answered)
        proposal = ProposalModel.objects.create(
            case=made,
            session=congress,
            number=f"{n:04d}",
            lead_proposer=deputy,
            assigning_unit=world.government,
        )
        if answered:
            on = made.start_date + timedelta(days=rng.randint(5, 70))
            answer = ProposalAnswer.objects.create(
                proposal=proposal,
                grade=rng.choice("ABCD"),
                text="已答复",
                answered_on=on,
                unit=made.handling_unit,
                answered_by=world.operator,
                due_date=made.due_date,
                on_time=on <= made.due_date,
            )
            if rng.random() < 0.8:
                ProposalFeedback.objects.create(
                    answer=answer,
                    satisfaction=rng.choice(Satisfaction.values),
                    received_on=on,
                    recorded_by=world.operator,
                )
