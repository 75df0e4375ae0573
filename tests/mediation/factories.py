from fazhi.mediation import services
from fazhi.mediation.models import Committee, Dispute, DisputeType, Party, Source
from fazhi.mediation.services import PartyData
from fazhi.org.models import Region, User
from tests.cases.factories import at

PARTIES = [
    PartyData(role=Party.Role.APPLICANT, name="张三", phone="13812341234", id_number="410902199003071234"),
    PartyData(role=Party.Role.RESPONDENT, name="李四", phone="13987654321"),
]
AGREEMENT = "被申请人于七日内清理共用通道内堆放的杂物，今后不再占用；双方互谅互让，不再追究。"


def register(actor: User, committee: Committee, region: Region, **kwargs) -> Dispute:
    """A neighbours' dispute brought by one of them on 3 September 2024 unless told otherwise."""
    kwargs.setdefault("title", "邻里通道占用纠纷")
    kwargs.setdefault("description", "两户居民因共用通道被一方堆放杂物发生争执，申请人民调解委员会调解。")
    kwargs.setdefault("dispute_type", DisputeType.NEIGHBOUR)
    kwargs.setdefault("source", Source.APPLICATION)
    kwargs.setdefault("parties", PARTIES)
    kwargs.setdefault("received_at", at(2024, 9, 3))
    return services.dispute_register(actor=actor, committee=committee, region=region, **kwargs)


def metrics_world(world, rng) -> None:
    """Disputes for the metrics tests' random city (tests/metrics/factories.py): open,
    settled and failed, straight to the tables."""
    from datetime import timedelta

    from fazhi.cases.models import Case, CaseType, CaseUnit
    from fazhi.mediation.models import Outcome
    from tests.metrics.factories import _day_of, _moment

    committee = Committee.objects.create(
        name="湖滨街道人民调解委员会", kind=Committee.Kind.TOWNSHIP, unit=world.township, region=world.region
    )
    mediation = CaseType.objects.get(code="mediation")
    for n in range(20):
        received = _moment(rng)
        start = _day_of(received)
        outcome = rng.choice(["", Outcome.SUCCESS, Outcome.SUCCESS, Outcome.FAILURE])
        case = Case.objects.create(
            number=f"T-mediation-{n:04d}",
            case_type=mediation,
            title=f"测试纠纷{n}",
            handling_unit=world.township,
            status=Case.Status.CLOSED if outcome else Case.Status.OPEN,
            received_at=received,
            start_date=start,
            due_date=start + timedelta(days=30),
            created_by=world.operator,
        )
        CaseUnit.objects.create(case=case, unit=world.township, role="lead", assigned_at=received)
        concluded = start + timedelta(days=rng.randint(1, 20)) if outcome else None
        Dispute.objects.create(
            case=case,
            committee=committee,
            dispute_type=rng.choice(DisputeType.values),
            source=Source.APPLICATION,
            region=world.region,
            outcome=outcome,
            concluded_on=concluded,
            agreement_form="written" if outcome == Outcome.SUCCESS else "",
            agreement_text="双方达成协议" if outcome == Outcome.SUCCESS else "",
            agreement_effective_on=concluded if outcome == Outcome.SUCCESS else None,
            confirmation_deadline=concluded + timedelta(days=30) if outcome == Outcome.SUCCESS else None,
            referral="litigation" if outcome == Outcome.FAILURE else "",
        )
