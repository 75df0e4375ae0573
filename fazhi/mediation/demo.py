"""The demo city's 人民调解: a committee in every street and township and in every community and
village, two city-wide professional committees, their mediators, and five years of disputes —
brought by the parties, referred by 12345 and by the courts before litigation — mediated, most
settled by agreement (with the 司法确认 window the parties are told), some not.

The number of records does not depend on the day the city is built (dates are relative to it).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from fazhi.cases.models import Case
from fazhi.core.calendar import CalendarRangeError
from fazhi.core.deadlines import due_date
from fazhi.demo import data
from fazhi.mediation import services
from fazhi.mediation.models import Committee, DisputeType, Mediator, Outcome, Party, Referral, Source
from fazhi.mediation.services import PartyData
from fazhi.org.models import Region

YEARS = 5
DISPUTES_PER_YEAR = 30
CASES = YEARS * DISPUTES_PER_YEAR

# (type, title, description, agreement)
DISPUTES = (
    (DisputeType.NEIGHBOUR, "{community}邻里通道占用纠纷",
     "两户居民因共用通道被一方堆放杂物发生争执，申请调解。",
     "被申请人于七日内清理通道内杂物，今后不再占用；双方互谅互让。"),
    (DisputeType.NEIGHBOUR, "{community}楼上漏水邻里纠纷",
     "楼上卫生间防水层损坏漏水至楼下，双方就维修和赔偿发生争执。",
     "楼上住户于十五日内完成防水维修，并一次性赔偿楼下住户装修损失二千元。"),
    (DisputeType.NEIGHBOUR, "{community}装修噪音纠纷",
     "楼上住户装修期间周末施工，与楼下住户多次发生口角。",
     "装修方周末及午休时间不施工，每日十八时前完工；双方不再争执。"),
    (DisputeType.FAMILY, "{community}赡养纠纷",
     "老人与子女就赡养费负担和轮流照料发生争执。",
     "三名子女每人每月支付赡养费六百元，按月轮流照料老人生活。"),
    (DisputeType.FAMILY, "{community}家庭财产分割纠纷",
     "兄弟二人就父母遗留房屋的使用和分割发生争执。",
     "房屋由弟弟居住使用，弟弟一次性补偿哥哥三万元。"),
    (DisputeType.LAND, "{community}宅基地界址纠纷",
     "相邻两户因翻建房屋对宅基地界址发生争议。",
     "双方按原宅基地使用证标注界址确认，翻建方后退三十公分。"),
    (DisputeType.PROPERTY, "{community}物业费纠纷",
     "业主以电梯长期故障为由拒交物业费，与物业公司发生纠纷。",
     "物业公司于一个月内完成电梯维修，业主补交物业费并减免两个月费用。"),
    (DisputeType.DAMAGE, "{community}宠物伤人赔偿纠纷",
     "居民被邻居饲养的犬只咬伤，双方就医疗费赔偿发生争执。",
     "犬只饲养人赔偿医疗费、误工费共计三千五百元，当场履行。"),
    (DisputeType.LABOUR, "{community}务工人员工资纠纷",
     "装修工人与包工头就工钱结算发生争执。",
     "包工头于十日内支付拖欠工资八千元。"),
    (DisputeType.CONTRACT, "{community}房屋租赁合同纠纷",
     "租户提前退租，房东拒绝退还押金。",
     "房东扣除一个月租金后退还剩余押金，双方解除租赁合同。"),
)  # fmt: skip
TRAFFIC = (
    DisputeType.TRAFFIC,
    "道路交通事故损害赔偿纠纷",
    "电动自行车与小型客车发生碰撞，双方就责任比例和赔偿数额发生争议，交警部门移送调解。",
    "机动车一方赔偿医疗费、误工费、车辆损失共计一万二千元，保险公司理赔部分直接支付。",
)
MEDICAL = (
    DisputeType.MEDICAL,
    "医疗损害赔偿纠纷",
    "患者家属认为医院术后护理不当导致并发症，要求赔偿。",
    "医院一次性补偿患者医疗费、护理费等共计四万元，患者放弃其他诉求。",
)
FAILURES = (
    "双方对赔偿数额分歧较大，经多次调解未能达成一致。",
    "被申请人拒绝参加调解。",
    "申请人坚持通过诉讼解决。",
)
PLACES = ("社区调解室", "街道矛盾纠纷调处中心", "村委会调解室", "当事人家中")


def _moment(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _citizen(rng) -> str:
    return rng.choice(data.SURNAMES) + rng.choice(data.GIVEN_NAMES)


def _phone(rng) -> str:
    return f"1{rng.choice('35789')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"


def build(city) -> None:
    committees = build_committees(city)
    build_disputes(city, committees)


def build_committees(city) -> list[Committee]:
    keeper = city.users["fazhiban"]
    rng = city.rng
    made = []
    for street in city.streets:
        kind = Committee.Kind.TOWNSHIP
        made.append(
            _committee(
                city,
                keeper,
                f"{street.unit_name.removesuffix('办事处').removesuffix('人民政府')}人民调解委员会",
                kind,
                street.unit,
                street.region,
                3,
            )
        )
        for community in Region.objects.filter(parent=street.region).order_by("code"):
            kind = Committee.Kind.COMMUNITY if street.is_urban else Committee.Kind.VILLAGE
            name = f"{street.county.name}{street.name}{community.name}人民调解委员会"
            made.append(_committee(city, keeper, name, kind, street.unit, community, rng.randint(1, 2)))
    city_region = Region.objects.get(code=data.CITY[0])
    for name in ("明湖市医疗纠纷人民调解委员会", "明湖市道路交通事故纠纷人民调解委员会"):
        made.append(
            _committee(city, keeper, name, Committee.Kind.INDUSTRY, city.units["sfj"], city_region, 3)
        )
    return made


def _committee(city, keeper, name, kind, unit, region, mediators: int) -> Committee:
    committee = services.committee_save(
        actor=keeper,
        committee=Committee(
            name=name,
            kind=kind,
            unit=unit,
            region=region,
            established_on=date(2011 + city.rng.randint(0, 8), 6, 1),
        ),
    )
    posts = [Mediator.Post.CHAIR, Mediator.Post.VICE_CHAIR, Mediator.Post.FULL_TIME][:mediators]
    for post in posts:
        services.mediator_save(
            actor=keeper,
            mediator=Mediator(
                committee=committee, name=city.person_name(), post=post, phone=_phone(city.rng)
            ),
        )
    return committee


def _years(city) -> list[int]:
    return list(range(city.today.year - YEARS + 1, city.today.year + 1))


def _computable(day: date) -> date:
    for _ in range(400):
        try:
            due_date(start=day, period="30d", roll_forward=True)
            return day
        except CalendarRangeError:
            day -= timedelta(days=7)
    return day


def build_disputes(city, committees: list[Committee]) -> None:
    rng, today = city.rng, city.today
    local = [c for c in committees if c.kind != Committee.Kind.INDUSTRY]
    medical, traffic = (c for c in committees if c.kind == Committee.Kind.INDUSTRY)
    handler_of = {street.unit.pk: city.handlers[street.slug] for street in city.streets}
    handler_of[city.units["sfj"].pk] = city.handlers["sfj"]
    plans = []
    for year in _years(city):
        last = min(date(year, 12, 31), today - timedelta(days=2))
        span = (last - date(year, 1, 1)).days
        for _ in range(DISPUTES_PER_YEAR):
            day = date(year, 1, 1) + timedelta(days=rng.randint(0, span))
            roll = rng.random()
            if roll < 0.05:
                plans.append((day, medical, MEDICAL))
            elif roll < 0.12:
                plans.append((day, traffic, TRAFFIC))
            else:
                plans.append((day, rng.choice(local), rng.choice(DISPUTES)))
    for day, committee, template in sorted(plans, key=lambda p: (p[0], p[1].pk)):
        day = _computable(day)
        dispute = _register(city, committee, template, day, handler_of[committee.unit_id])
        _mediate(city, dispute, template, handler_of[committee.unit_id])


def _register(city, committee, template, day: date, handler):
    rng = city.rng
    kind, title, description, _agreement = template
    region = committee.region
    source = rng.choices(
        (
            Source.APPLICATION,
            Source.HOTLINE,
            Source.PRE_LITIGATION,
            Source.INITIATIVE,
            Source.POLICE,
            Source.PETITION,
        ),
        weights=(45, 15, 15, 12, 8, 5),
    )[0]
    if kind == DisputeType.TRAFFIC:
        source = Source.POLICE
    hotline_case, reference = None, ""
    if source == Source.HOTLINE:
        hotline_case = (
            Case.objects.filter(
                case_type__code="hotline", handling_unit=committee.unit, received_at__lt=_moment(day)
            )
            .order_by("-received_at")
            .first()
        )
        if hotline_case is None:
            source = Source.APPLICATION
    if source == Source.PRE_LITIGATION:
        reference = f"（{day.year}）鲁9902民诉前调{rng.randint(100, 2999)}号"
    place = region.name if region.level == Region.Level.COMMUNITY else committee.unit.short_name
    mediators = list(committee.mediators.filter(is_active=True))
    return services.dispute_register(
        actor=handler,
        committee=committee,
        title=title.format(community=place),
        description=description,
        dispute_type=kind,
        source=source,
        region=region,
        parties=[
            PartyData(role=Party.Role.APPLICANT, name=_citizen(rng), phone=_phone(rng)),
            PartyData(
                role=Party.Role.RESPONDENT,
                name=_citizen(rng),
                phone=_phone(rng) if rng.random() < 0.7 else "",
            ),
        ],
        hotline_case=hotline_case,
        referral_reference=reference,
        amount=Decimal(rng.choice((0, 2000, 3500, 8000, 12000, 30000, 40000)))
        if rng.random() < 0.5
        else None,
        mediator=rng.choice(mediators) if mediators else None,
        received_at=_moment(day, rng.choice((9, 10, 14, 15, 16))),
    )


def _mediate(city, dispute, template, handler) -> None:
    rng, today = city.rng, city.today
    latest = today - timedelta(days=1)
    start = dispute.case.start_date
    held = start + timedelta(days=rng.randint(0, 5))
    if held > latest:
        return
    mediators = list(dispute.committee.mediators.filter(is_active=True)[:2])
    services.session_record(
        dispute=dispute,
        actor=handler,
        held_on=held,
        place=rng.choice(PLACES),
        summary="调解员分别听取双方陈述，释明相关法律规定，引导双方互谅互让。",
        mediators=mediators,
    )
    concluded = held + timedelta(days=rng.randint(0, 20))
    if concluded > latest or (dispute.case.due_date >= today and rng.random() < 0.4):
        return  # still being mediated
    if rng.random() < 0.92:
        services.dispute_conclude(
            dispute=dispute,
            actor=handler,
            outcome=Outcome.SUCCESS,
            concluded_on=concluded,
            agreement_form=rng.choices(("written", "oral"), weights=(85, 15))[0],
            agreement_text=template[3],
            parties_told=True,
        )
        dispute.refresh_from_db()
        applied = concluded + timedelta(days=rng.randint(3, 25))
        if rng.random() < 0.12 and applied <= latest and applied <= dispute.confirmation_deadline:
            services.confirmation_record(
                dispute=dispute, actor=handler, applied_on=applied, court="明湖市湖滨区人民法院"
            )
    else:
        services.dispute_conclude(
            dispute=dispute,
            actor=handler,
            outcome=Outcome.FAILURE,
            concluded_on=concluded,
            referral=rng.choice(
                (Referral.LITIGATION, Referral.LITIGATION, Referral.ARBITRATION, Referral.ADMINISTRATIVE)
            ),
            failure_reason=rng.choice(FAILURES),
        )
