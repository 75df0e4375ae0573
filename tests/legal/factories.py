from datetime import date

from fazhi.legal import services
from fazhi.legal.models import ActCategory, JudgmentType, Lawsuit, PartyKind, Reconsideration
from fazhi.org.models import Unit, User
from tests.cases.factories import at


def apply(clerk: User, body, respondent: Unit, **kwargs) -> Reconsideration:
    """A citizen's application against a penalty, received on Friday 27 Sep 2024 unless told otherwise."""
    kwargs.setdefault("received_at", at(2024, 9, 27))
    kwargs.setdefault("channel", Reconsideration.Channel.IN_PERSON)
    kwargs.setdefault("applicant_kind", PartyKind.PERSON)
    kwargs.setdefault("applicant_name", "李建国")
    kwargs.setdefault("applicant_id_number", "379902198003071234")
    kwargs.setdefault("applicant_phone", "13812341234")
    kwargs.setdefault("act_name", "行政处罚决定")
    kwargs.setdefault("act_number", "明城管罚决字〔2024〕第0135号")
    kwargs.setdefault("act_category", ActCategory.PENALTY)
    kwargs.setdefault("act_date", date(2024, 9, 2))
    kwargs.setdefault("known_on", date(2024, 9, 5))
    kwargs.setdefault("claims", "请求撤销被申请人作出的罚款2万元的行政处罚决定。")
    return services.reconsideration_register(actor=clerk, body=body, respondent=respondent, **kwargs)


def accepted(
    clerk: User, body, respondent: Unit, *, on: date = date(2024, 10, 9), procedure="normal", **kwargs
):
    rec = apply(clerk, body, respondent, **kwargs)
    ground = "warning" if procedure == "simple" else ""
    return services.reconsideration_accept(
        reconsideration=rec, actor=clerk, accepted_on=on, procedure=procedure, simple_ground=ground
    )


def answered(clerk: User, body, respondent: Unit, **kwargs) -> Reconsideration:
    rec = accepted(clerk, body, respondent, **kwargs)
    services.copy_serve(reconsideration=rec, actor=clerk, served_on=date(2024, 10, 11))
    return services.answer_receive(reconsideration=rec, actor=clerk, received_on=date(2024, 10, 21))


def decided(
    clerk: User, body, respondent: Unit, outcome: str, ground: str, *, on=date(2024, 11, 20), **kwargs
):
    rec = answered(clerk, body, respondent, **kwargs)
    return services.reconsideration_decide(
        reconsideration=rec,
        actor=clerk,
        outcome=outcome,
        ground=ground,
        summary="经审理查明，事实如下。",
        decided_on=on,
    )


def judgment(code: str) -> JudgmentType:
    return JudgmentType.objects.get(code=code)


def sue(actor: User, defendant: Unit, **kwargs) -> Lawsuit:
    """A first-instance suit filed on 20 Jan 2025, the complaint copy received on Friday 24 Jan."""
    kwargs.setdefault("court", "明湖市湖滨区人民法院")
    kwargs.setdefault("court_number", f"（2025）鲁9902行初{Lawsuit.objects.count() + 1}号")
    kwargs.setdefault("instance", Lawsuit.Instance.FIRST)
    kwargs.setdefault("plaintiff_kind", PartyKind.LEGAL_PERSON)
    kwargs.setdefault("plaintiff_org", "明湖市某建材有限公司")
    kwargs.setdefault("act_name", "责令停产整治决定")
    kwargs.setdefault("act_category", ActCategory.PENALTY)
    kwargs.setdefault("filed_on", date(2025, 1, 20))
    kwargs.setdefault("complaint_received_on", date(2025, 1, 24))
    return services.lawsuit_register(actor=actor, defendant=defendant, **kwargs)
