"""The demo city's suggestions and proposals: five years of casework written through the services.

明湖市中级人民法院 and 明湖市人民检察院 send 司法建议 and 检察建议 to the city's departments and
district governments; most are answered on time, some late, a few not yet — and those are
escalated by the 超期督办 rules. The 17th 人民代表大会 and the 14th 政协 of 明湖市 meet every January;
their deputies' suggestions and members' proposals are assigned by the 市政府督查室 in February,
the units contact the proposers, answer with a grade, the proposers give their view, and most
answers are disclosed.

The number of records does not depend on the day the city is built (dates are relative to it).
"""

from contextlib import suppress
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from fazhi.cases.models import CaseType, Supervision
from fazhi.core.calendar import CalendarRangeError
from fazhi.core.deadlines import due_date
from fazhi.suggestions import services
from fazhi.suggestions.models import (
    Adoption,
    Body,
    EscalationRule,
    Grade,
    ProposalContact,
    Representative,
    Satisfaction,
    Session,
    SuggestionKind,
)

YEARS = 5
JUDICIAL_PER_YEAR = 4
PROCURATORIAL_PER_YEAR = 6
PROPOSALS_PER_SESSION = 12  # of each body
CASES = YEARS * (JUDICIAL_PER_YEAR + PROCURATORIAL_PER_YEAR + 2 * PROPOSALS_PER_SESSION)

# (addressee unit key, kind code, title, content)
COURT = (
    ("zjj", "comprehensive", "关于规范国有土地上房屋征收补偿程序的司法建议",
     "本院在审理多起房屋征收补偿行政案件中发现，评估报告送达、补偿决定公告等环节存在程序瑕疵，建议完善征收补偿工作流程，加强对评估机构的监督。"),
    ("rsj", "comprehensive", "关于加强工伤认定调查取证工作的司法建议",
     "本院在审理工伤认定行政案件中发现，调查笔录不完整、证据收集不充分，导致多起认定决定被撤销，建议加强调查取证和法制审核。"),
    ("cgj", "comprehensive", "关于规范违法建设强制拆除程序的司法建议",
     "本院审理的多起强制拆除案件中，行政机关未依法履行催告、公告程序，未充分听取当事人陈述申辩，建议规范强制执行程序。"),
    ("scj", "normative", "关于《明湖市市场监督管理局行政处罚裁量基准》有关条款的司法建议",
     "本院在审理行政处罚案件时发现，该规范性文件第十二条增设了上位法没有规定的从重处罚情形，建议依法予以修改或废止。"),
    ("zrzy", "non_appearance", "关于行政机关负责人出庭应诉工作的司法建议",
     "本院审理的土地行政处罚案件中，被诉行政机关负责人未出庭应诉，亦未说明正当理由，建议依法处理并将处理情况告知本院。"),
    ("hubin", "comprehensive", "关于加强集体土地征收补偿安置工作的司法建议",
     "本院在审理集体土地征收补偿案件中发现，安置补偿协议签订前未充分公示、补偿标准说明不清，建议加强征收补偿安置工作。"),
    ("sthj", "comprehensive", "关于规范按日连续处罚适用程序的司法建议",
     "本院在审理环境行政处罚案件中发现，按日连续处罚的复查程序、计罚日数认定不规范，建议完善执法程序和证据固定。"),
    ("jtj", "comprehensive", "关于规范道路运输行政处罚文书制作的司法建议",
     "本院审理的道路运输行政处罚案件中，处罚决定书事实认定表述不清、法律适用条款不完整，建议加强执法文书规范化建设。"),
)  # fmt: skip
PROCURATORATE = (
    ("cgj", "public_interest", "关于城市道路窨井盖安全隐患整治的检察建议",
     "检察机关在履职中发现部分城市道路窨井盖缺失、破损，存在安全隐患，建议依法履行监管职责，开展专项整治并建立长效机制。"),
    ("scj", "public_interest", "关于校园周边食品安全监管的检察建议",
     "检察机关发现部分中小学校周边食品摊点无证经营、销售“三无”食品，建议依法查处并建立校园周边食品安全长效监管机制。"),
    ("sthj", "public_interest", "关于督促整治餐饮油烟污染的检察建议",
     "检察机关发现城区部分餐饮集中区域油烟直排，周边居民反映强烈，建议依法履行监管职责，督促安装油烟净化设施。"),
    ("swj", "public_interest", "关于督促保护饮用水水源地的检察建议",
     "检察机关发现饮用水水源二级保护区内存在违规养殖、生活污水直排等问题，损害社会公共利益，建议依法履职、限期整改。"),
    ("zrzy", "public_interest", "关于督促追缴国有土地使用权出让金的检察建议",
     "检察机关发现部分国有土地使用权出让金逾期未缴，国有财产处于受损状态，建议依法追缴并加强出让合同履约监管。"),
    ("nyj", "public_interest", "关于督促整治农药包装废弃物污染的检察建议",
     "检察机关发现部分乡镇田间地头农药包装废弃物随意丢弃，污染土壤和水体，建议建立回收处置机制。"),
    ("wjw", "public_interest", "关于督促加强医疗废物处置监管的检察建议",
     "检察机关发现部分基层医疗机构医疗废物暂存、转运不规范，存在环境和健康风险，建议依法加强监管。"),
    ("jtj", "social_governance", "关于加强网约车安全运营监管的社会治理检察建议",
     "检察机关在办理刑事案件中发现网约车平台对驾驶员背景审查不严、车辆营运资质核查不到位，建议完善监管措施。"),
    ("yjj", "public_interest", "关于督促整改城镇燃气安全隐患的检察建议",
     "检察机关发现部分老旧小区燃气管道老化、餐饮场所未安装可燃气体报警装置，存在重大安全隐患，建议督促整改。"),
    ("wlj", "public_interest", "关于督促保护不可移动文物的检察建议",
     "检察机关发现辖区内部分县级文物保护单位缺乏保护标志和日常巡查，存在损毁风险，建议依法履行文物保护职责。"),
)  # fmt: skip
REPLIES = (
    "收到建议后，我单位主要负责同志专题研究，制定整改方案，逐项明确责任科室和完成时限。目前已完成全面排查，相关问题已整改到位，并修订了工作规程，组织全员业务培训。",
    "我单位高度重视，立即开展专项整治，对发现的问题建立台账、逐一销号，同时建立定期巡查和部门联动机制，防止问题反弹。",
    "经研究，我单位已对相关工作流程进行全面梳理，完善了审核把关环节，并将落实情况纳入年度考核，确保建议落到实处。",
)
MEASURES = (
    "修订工作规程1项，开展专项检查3次，组织业务培训2期。",
    "建立问题台账，整改完成率100%；建立部门联席会议制度。",
    "完善法制审核流程，明确审核时限和责任人。",
)
NOT_ADOPTED = (
    "所涉事项属于省级部门事权，我单位已将建议报送省厅研究。",
    "涉及财政资金安排，需纳入下一年度预算统筹考虑。",
)

DELEGATIONS = ("湖滨区代表团", "文昌区代表团", "青山县代表团", "柳河县代表团")
SECTORS = (
    "中国共产党", "民革", "民盟", "民建", "民进", "农工党", "九三学社", "无党派人士",
    "工商联", "经济界", "教育界", "医药卫生界", "科技界", "文化艺术界", "农业界", "社会福利和社会保障界",
)  # fmt: skip
ORGANISATIONS = (
    "明湖市第一中学校长", "明湖市人民医院副院长", "明湖市湖滨区明湖路街道金湖社区党委书记", "明湖市某建材有限公司董事长",
    "明湖市文昌区学府街道居民", "青山县白马镇王家庄村党支部书记", "柳河县人民医院主治医师", "明湖职业技术学院教授",
    "明湖市律师协会副会长", "明湖农商银行行长", "明湖市某农业专业合作社理事长", "明湖日报社记者",
)  # fmt: skip
# (lead unit key, co unit keys, topic, title, content)
DEPUTY_TOPICS = (
    ("zjj", ("czj",), "城乡建设", "关于加快推进老旧小区加装电梯的建议",
     "建议简化加装电梯审批流程，提高财政补贴标准，建立低楼层住户利益平衡机制。"),
    ("jyj", ("czj", "rsj"), "教育", "关于增加中小学课后服务供给的建议",
     "建议扩大课后服务覆盖面，引入非学科类优质资源，合理核定课后服务经费。"),
    ("jtj", (), "交通", "关于优化城区公交线路的建议",
     "建议优化文昌区与湖滨区之间的公交线路，增加早晚高峰班次，延长末班车时间。"),
    ("wjw", ("rsj",), "医疗卫生", "关于加强基层医疗卫生人才队伍建设的建议",
     "建议完善乡镇卫生院人才引进政策，落实基层医务人员待遇保障。"),
    ("mzj", ("wjw",), "民生保障", "关于发展社区嵌入式养老服务的建议",
     "建议利用社区闲置用房建设嵌入式养老服务站，提供助餐、助浴等服务。"),
    ("nyj", ("swj",), "乡村振兴", "关于加强高标准农田建设后期管护的建议",
     "建议明确高标准农田管护主体和经费来源，防止建成后设施损毁。"),
    ("cgj", ("zjj",), "城市管理", "关于规范城区共享单车停放的建议",
     "建议划设停放区域，建立企业信用考核机制，及时清理违规停放车辆。"),
    ("sthj", (), "生态环境", "关于加强城区河道水环境治理的建议",
     "建议加快雨污分流改造，建立河道水质定期监测和公开制度。"),
    ("scj", (), "市场监管", "关于加强预付式消费监管的建议",
     "建议建立预付资金存管制度，加大对经营者卷款跑路的查处力度。"),
    ("rsj", ("gaj",), "劳动就业", "关于加强农民工工资支付保障的建议",
     "建议全面推行工资专用账户和保证金制度，建立欠薪快速处置机制。"),
)  # fmt: skip
CPPCC_TOPICS = (
    ("jtj", ("cgj",), "交通", "关于规范互联网租赁自行车停放管理的提案",
     "委员建议划设电子围栏停放区，建立企业信用考核和总量调控机制。"),
    ("swj", ("wjw",), "农业农村", "关于加强农村饮用水安全保障的提案",
     "委员建议推进城乡供水一体化，加强农村小型供水工程水质检测。"),
    ("sthj", ("scj",), "生态环境", "关于加强餐饮油烟污染治理的提案",
     "委员建议推广油烟在线监测，对城区餐饮集中区域实施统一治理。"),
    ("swu", ("fgw",), "经济发展", "关于促进夜间经济发展的提案",
     "委员建议规划夜间经济集聚区，完善配套交通和公共服务。"),
    ("wlj", (), "文化旅游", "关于加强历史文化街区保护利用的提案",
     "委员建议编制保护利用规划，引导社会资本参与街区活化。"),
    ("zwj", (), "营商环境", "关于深化“一网通办”提升政务服务效能的提案",
     "委员建议推进高频事项全程网办，减少重复提交材料。"),
    ("ybj", ("wjw",), "医疗保障", "关于完善异地就医直接结算的提案",
     "委员建议扩大门诊慢特病跨省直接结算范围，简化备案手续。"),
    ("jyj", (), "教育", "关于加强中小学生心理健康教育的提案",
     "委员建议配齐专职心理健康教师，建立学生心理危机预警机制。"),
    ("yjj", ("zjj",), "安全生产", "关于加强老旧小区消防安全治理的提案",
     "委员建议清理楼道堆物，增设电动自行车集中充电设施。"),
    ("tyj", ("rsj",), "社会保障", "关于做好退役军人就业创业服务的提案",
     "委员建议搭建退役军人就业平台，落实创业扶持政策。"),
)  # fmt: skip
ANSWERS = {
    Grade.A: "经认真研究，我单位采纳您的建议，已出台相关实施办法，具体措施如下：一是简化办理流程；二是加大资金支持；三是建立长效机制。感谢您对我市工作的关心和支持。",
    Grade.B: "您的建议很有针对性。我单位已将其列入年度工作计划，正在会同相关部门制定具体方案，预计年内分步实施，实施情况将及时向您反馈。",
    Grade.C: "经研究，您提出的问题涉及资金、规划等多方面因素，受现有条件限制暂时难以全部解决。我单位将积极争取上级支持，待条件成熟时推进解决。",
    Grade.D: "感谢您的建议。经研究，该事项需在上位政策明确后统筹考虑，我单位将其留作今后工作参考，并持续关注相关政策动向。",
}
CONTACTS = (
    (ProposalContact.Method.VISIT, "上门走访，详细听取意见，介绍了初步办理思路，对方表示认可。"),
    (ProposalContact.Method.MEETING, "召开办理座谈会，邀请领衔人和相关单位参加，共同研究办理措施。"),
    (ProposalContact.Method.PHONE, "电话沟通，了解建议背景和具体诉求，约定答复前再次沟通。"),
)


def _moment(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _computable(day: date, period: str) -> date:
    """The latest day on or before `day` whose period ends inside the loaded calendar."""
    for _ in range(400):
        try:
            due_date(start=day, period=period, roll_forward=True)
            return day
        except CalendarRangeError:
            day -= timedelta(days=7)
    return day


def build(city) -> None:
    """Write the courts' and procuratorates' suggestions and the sessions' proposals."""
    supervisor = city.users["fazhiban"]
    rules(city)
    judicial(city, supervisor)
    sessions = build_sessions(city)
    build_representatives(city)
    proposals(city, sessions)
    services.overdue_escalate(today=city.today)


def rules(city) -> None:
    """超期督办: urged as soon as overdue, 督办 after ten working days, 挂牌 after thirty days."""
    for code in ("judicial_suggestion", "procuratorial_suggestion", "deputy_suggestion", "cppcc_proposal"):
        case_type = CaseType.objects.get(code=code)
        for margin, level, label in (
            ("0d", Supervision.Level.URGE, "超期即催办"),
            ("10wd", Supervision.Level.SUPERVISE, "超期10个工作日督办"),
            ("30d", Supervision.Level.LISTED, "超期30日挂牌督办"),
        ):
            services.escalation_rule_save(
                actor=city.users["fazhiban"],
                rule=EscalationRule(
                    name=f"{case_type.name}{label}",
                    case_type=case_type,
                    overdue_by=margin,
                    level=level,
                    period="5wd",
                    issued_by=city.users["ducha"],
                ),
            )


def _years(city) -> list[int]:
    last = city.today.year if city.today >= date(city.today.year, 3, 1) else city.today.year - 1
    return list(range(last - YEARS + 1, last + 1))


def judicial(city, supervisor) -> None:
    rng, today = city.rng, city.today
    kinds = {k.code: k for k in SuggestionKind.objects.select_related("case_type")}
    plans = []
    for year in _years(city):
        last = min(date(year, 12, 31), today - timedelta(days=5))
        span = (last - date(year, 1, 1)).days
        for issuer_key, templates, count, prefix in (
            ("court", COURT, JUDICIAL_PER_YEAR, "明中法建"),
            ("proc", PROCURATORATE, PROCURATORIAL_PER_YEAR, "明检行公建"),
        ):
            for n, (unit_key, kind_code, title, content) in enumerate(rng.sample(templates, count), start=1):
                day = date(year, 1, 1) + timedelta(days=rng.randint(0, span))
                plans.append(
                    (day, issuer_key, unit_key, kinds[kind_code], title, content, f"{prefix}〔{year}〕{n}号")
                )
    unanswered = [2]  # the first two overdue in the last year stay unanswered: the supervisor sees them
    for day, issuer_key, unit_key, kind, title, content, number in sorted(plans, key=lambda p: p[0]):
        urgent = bool(kind.urgent_period) and rng.random() < 0.2
        period = (
            services.suggestion_period(kind=kind, urgent=urgent, stated_period="")[0] or kind.case_type.period
        )
        day = _computable(day, period)
        suggestion = services.suggestion_register(
            actor=supervisor,
            kind=kind,
            issuer=city.units[issuer_key],
            addressee=city.units[unit_key],
            title=title,
            content=content,
            received_at=_moment(day, rng.choice((9, 10, 14, 15))),
            document_number=number,
            issued_on=day - timedelta(days=rng.randint(2, 10)),
            urgent=urgent,
        )
        _answer_suggestion(city, suggestion, unit_key, unanswered)


def _answer_suggestion(city, suggestion, unit_key: str, unanswered: list[int]) -> None:
    rng, today = city.rng, city.today
    case = suggestion.case
    due, start = case.due_date, case.start_date
    latest = today - timedelta(days=1)
    if today - timedelta(days=365) <= due < today and unanswered[0]:
        unanswered[0] -= 1
        return
    if due < today - timedelta(days=365):
        # long past: answered, some only after supervision (Kundulun: "经过督办后均已回复")
        fate = rng.choices(("on_time", "late"), weights=(75, 25))[0]
    elif due < today:
        fate = rng.choices(("on_time", "late", "unanswered"), weights=(65, 15, 20))[0]
    else:
        fate = rng.choices(("on_time", "unanswered"), weights=(45, 55))[0]
    if fate == "unanswered" or latest <= start:
        return
    if fate == "on_time":
        replied = start + timedelta(days=rng.randint(7, max(7, (min(due, latest) - start).days)))
    else:
        replied = due + timedelta(days=rng.randint(1, 30))
    replied = min(replied, latest)
    adoption = rng.choices(Adoption.values, weights=(75, 18, 7))[0]
    services.suggestion_reply(
        suggestion=suggestion,
        actor=city.handlers[unit_key],
        adoption=adoption,
        text=rng.choice(REPLIES),
        measures=rng.choice(MEASURES),
        reasons="" if adoption == Adoption.ADOPTED else rng.choice(NOT_ADOPTED),
        replied_on=replied,
    )


def build_sessions(city) -> list[tuple[Session, Session]]:
    sessions = []
    keeper = city.users["dubanshi"]
    for meeting, year in enumerate(_years(city), start=1):
        pair = []
        for body, name, term, day in (
            (Body.CONGRESS, f"明湖市第十七届人民代表大会第{_number(meeting)}次会议", 17, 8),
            (Body.CPPCC, f"政协明湖市第十四届委员会第{_number(meeting)}次会议", 14, 7),
        ):
            pair.append(
                services.session_save(
                    actor=keeper,
                    session=Session(
                        body=body, name=name, term=term, meeting=meeting, opened_on=date(year, 1, day)
                    ),
                )
            )
        sessions.append(tuple(pair))
    return sessions


def _number(n: int) -> str:
    return "零一二三四五六七八九十"[n]


def build_representatives(city) -> None:
    keeper = city.users["dubanshi"]
    rng = city.rng
    for group in DELEGATIONS:
        for _ in range(6):
            _representative(keeper, rng, Body.CONGRESS, city.person_name(), group)
    for group in SECTORS:
        for _ in range(2):
            _representative(keeper, rng, Body.CPPCC, city.person_name(), group)


def _representative(keeper, rng, body: str, name: str, group: str) -> Representative:
    phone = f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.8 else ""
    return services.representative_save(
        actor=keeper,
        representative=Representative(
            body=body, name=name, group=group, organisation=rng.choice(ORGANISATIONS), phone=phone
        ),
    )


def proposals(city, sessions) -> None:
    dispatcher = city.users["dubanshi"]
    rng = city.rng
    deputies = {
        body: list(Representative.objects.filter(body=body).order_by("id"))
        for body in (Body.CONGRESS, Body.CPPCC)
    }
    for pair in sessions:
        for session, topics in zip(pair, (DEPUTY_TOPICS, CPPCC_TOPICS), strict=True):
            assigned = date(session.opened_on.year, 2, 20)
            numbers = sorted(rng.sample(range(1, 300), PROPOSALS_PER_SESSION))
            for number in numbers:
                lead_key, co_keys, topic, title, content = rng.choice(topics)
                lead = rng.choice(deputies[session.body])
                joined = [d for d in rng.sample(deputies[session.body], 2) if d.pk != lead.pk]
                proposal = services.proposal_register(
                    actor=dispatcher,
                    session=session,
                    number=f"{number:04d}",
                    title=title,
                    content=content,
                    lead_proposer=lead,
                    co_proposers=joined[: rng.randint(0, 2)],
                    lead_unit=city.units[lead_key],
                    co_units=[city.units[k] for k in co_keys],
                    topic=topic,
                    is_key=rng.random() < 0.08,
                    received_at=_moment(assigned),
                )
                _handle_proposal(city, proposal, lead_key)


def _handle_proposal(city, proposal, lead_key: str) -> None:
    rng, today = city.rng, city.today
    case = proposal.case
    handler = city.handlers[lead_key]
    latest = today - timedelta(days=1)
    start, due = case.start_date, case.due_date
    contacted = start + timedelta(days=rng.randint(10, 40))
    if contacted > latest:
        return
    method, note = rng.choice(CONTACTS)
    services.proposal_contact(
        proposal=proposal,
        actor=handler,
        method=method,
        note=f"与{proposal.lead_proposer.name}{note}",
        contacted_on=contacted,
    )
    if due >= today and rng.random() < 0.5:
        return  # still being handled, not yet due
    if today - timedelta(days=365) < due < today and rng.random() < 0.1:
        # 涉及面广、处理难度大, and still not answered: the supervisor sees it overdue
        with suppress(CalendarRangeError, ValidationError):
            services.proposal_extension_request(
                proposal=proposal,
                actor=handler,
                reason="涉及多个部门职责和财政资金安排，需开展专题调研，处理难度大。",
            )
        return
    on_time = rng.random() < 0.9
    answered = (
        contacted + timedelta(days=rng.randint(5, max(5, (min(due, latest) - contacted).days)))
        if on_time
        else due + timedelta(days=rng.randint(1, 20))
    )
    answered = max(contacted, min(answered, latest))
    grade = rng.choices(Grade.values, weights=(55, 30, 10, 5))[0]
    answer = services.proposal_answer(
        proposal=proposal, actor=handler, grade=grade, text=ANSWERS[grade], answered_on=answered
    )
    feedback_on = answered + timedelta(days=rng.randint(5, 20))
    if feedback_on <= latest:
        satisfaction = rng.choices(Satisfaction.values, weights=(80, 17, 3))[0]
        note = "建议的核心问题尚未解决，希望进一步研究。" if satisfaction == Satisfaction.UNSATISFIED else ""
        try:
            services.proposal_feedback(
                answer=answer,
                actor=city.users["dubanshi"],
                satisfaction=satisfaction,
                note=note,
                received_on=feedback_on,
            )
        except CalendarRangeError:
            # re-handling would end beyond the loaded calendar: recorded as basically satisfied
            services.proposal_feedback(
                answer=answer,
                actor=city.users["dubanshi"],
                satisfaction=Satisfaction.BASIC,
                received_on=feedback_on,
            )
    if rng.random() < 0.7:
        services.answer_disclose(answer=answer, actor=handler)
