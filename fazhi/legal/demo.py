"""明湖市's 行政复议 and 行政应诉 casework over five years, written through the services.

`build(builder)` runs at the end of the demo city's build (`fazhi.demo.city`). The 市司法局
is the 行政复议机构 of the 市人民政府. Every application and lawsuit goes through the same steps
and statutory clocks a clerk would take it through — 补正, 受理 (some by lapse of the review
period), copy and answer, hearings, 中止, extensions, decisions with their grounds, 意见书,
lawsuits with hearings, who appeared, judgments and appeals — on the days they happened, so the
figures, the timelines and the deadlines are consistent. Volumes follow the national pattern:
reconsiderations roughly doubled in 2024 under the new law; most decisions uphold the act.

Nothing here reaches past the loaded work calendar: a case whose next period would end beyond
it is taken only as far as the calendar allows (a 简易程序 acceptance, or still in review).
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fazhi.core.calendar import get_calendar
from fazhi.core.deadlines import add_months, due_date
from fazhi.legal import catalogue, services
from fazhi.legal.models import (
    ActCategory,
    CourtHearing,
    DocumentKind,
    Hearing,
    JudgmentType,
    Lawsuit,
    Outcome,
    PartyKind,
    Procedure,
    Reconsideration,
)

# Applications per year, oldest first (the last is the current year up to today).
RECONSIDERATIONS_PER_YEAR = (14, 16, 26, 30, 28)
LAWSUITS_PER_YEAR = (6, 7, 9, 10, 8)
FOLLOW_UPS = 6
APPEALS = 8


def cases_built(scale: int = 1) -> int:
    """How many engine cases `build` opens (fixed, whatever the day)."""
    return scale * (sum(RECONSIDERATIONS_PER_YEAR) + sum(LAWSUITS_PER_YEAR)) + FOLLOW_UPS + APPEALS


CASES = cases_built()


# respondent key → (weight, [(category, act name, number pattern, simple-eligible ground)])
RESPONDENTS = {
    "cgj": (
        22,
        [
            (ActCategory.PENALTY, "行政处罚决定（罚款）", "明城管罚决字〔{y}〕第{n:04d}号", "small_amount"),
            (ActCategory.COERCION, "限期拆除违法建设决定", "明城管拆字〔{y}〕第{n:03d}号", ""),
            (ActCategory.COERCION, "强制拆除违法建设决定", "明城管强拆字〔{y}〕第{n:03d}号", ""),
        ],
    ),
    "zrzy": (
        14,
        [
            (ActCategory.PENALTY, "土地违法行政处罚决定", "明自然资罚字〔{y}〕第{n:03d}号", ""),
            (ActCategory.NATURAL_RESOURCES, "不动产登记行为", "明不动产登字〔{y}〕第{n:05d}号", ""),
            (
                ActCategory.INFORMATION,
                "政府信息公开申请答复",
                "明自然资依申请公开〔{y}〕{n}号",
                "information",
            ),
        ],
    ),
    "scj": (
        12,
        [
            (ActCategory.PENALTY, "行政处罚决定", "明市监罚字〔{y}〕第{n:04d}号", "small_amount"),
            (ActCategory.NON_PERFORMANCE, "投诉举报不予立案告知", "明市监告字〔{y}〕第{n:04d}号", ""),
            (ActCategory.LICENSING, "食品经营许可注销决定", "明市监许注字〔{y}〕第{n:03d}号", ""),
        ],
    ),
    "rsj": (
        10,
        [
            (ActCategory.WORK_INJURY, "不予认定工伤决定", "明人社工伤认字〔{y}〕第{n:04d}号", ""),
            (ActCategory.WORK_INJURY, "认定工伤决定", "明人社工伤认字〔{y}〕第{n:04d}号", ""),
            (ActCategory.SOCIAL_SECURITY, "基本养老保险待遇核定", "明人社养核字〔{y}〕第{n:04d}号", ""),
        ],
    ),
    "gaj": (
        9,
        [
            (ActCategory.PENALTY, "行政拘留处罚决定", "明公（治）行罚决字〔{y}〕{n:05d}号", ""),
            (ActCategory.PENALTY, "警告处罚决定", "明公（交）决字〔{y}〕{n:05d}号", "warning"),
        ],
    ),
    "zjj": (
        8,
        [
            (ActCategory.LICENSING, "商品房预售许可", "明住建预许字〔{y}〕第{n:03d}号", ""),
            (ActCategory.INFORMATION, "政府信息公开申请答复", "明住建依申请公开〔{y}〕{n}号", "information"),
        ],
    ),
    "sthj": (6, [(ActCategory.PENALTY, "按日连续处罚决定", "明环罚字〔{y}〕第{n:03d}号", "")]),
    "jtj": (
        5,
        [(ActCategory.PENALTY, "道路运输行政处罚决定", "明交运罚字〔{y}〕第{n:04d}号", "small_amount")],
    ),
    "hubin": (
        5,
        [
            (ActCategory.EXPROPRIATION, "房屋征收补偿决定", "湖滨政征补字〔{y}〕第{n}号", ""),
            (ActCategory.INFORMATION, "政府信息公开申请答复", "湖滨政依申请公开〔{y}〕{n}号", "information"),
        ],
    ),
    "wenchang": (
        4,
        [
            (ActCategory.EXPROPRIATION, "国有土地上房屋征收决定", "文昌政征字〔{y}〕第{n}号", ""),
            (ActCategory.NON_PERFORMANCE, "履行法定职责申请未予答复", "", ""),
        ],
    ),
    "qingshan": (3, [(ActCategory.NON_PERFORMANCE, "违法建设查处申请未予处理", "", "")]),
    "liuhe": (2, [(ActCategory.AGREEMENT, "征地补偿安置协议", "柳河政征协字〔{y}〕第{n}号", "")]),
}

CLAIMS = {
    ActCategory.PENALTY: "请求撤销被申请人作出的{act}。",
    ActCategory.COERCION: "请求确认被申请人作出的{act}违法并予以撤销。",
    ActCategory.NATURAL_RESOURCES: "请求撤销被申请人作出的{act}，恢复原登记。",
    ActCategory.INFORMATION: "请求撤销被申请人作出的{act}，责令其依法重新答复。",
    ActCategory.NON_PERFORMANCE: "请求责令被申请人依法履行法定职责（{act}）。",
    ActCategory.LICENSING: "请求撤销被申请人作出的{act}。",
    ActCategory.WORK_INJURY: "请求撤销被申请人作出的{act}，责令重新作出认定。",
    ActCategory.SOCIAL_SECURITY: "请求撤销被申请人的{act}，按规定重新核定待遇。",
    ActCategory.EXPROPRIATION: "请求撤销被申请人作出的{act}。",
    ActCategory.AGREEMENT: "请求确认{act}无效并责令被申请人采取补救措施。",
}

COMPANIES = ("恒泰", "鑫源", "华盛", "润发", "金桥", "宏达", "永安", "瑞丰", "东升", "兴隆", "正阳", "海川")
TRADES = (
    "建材",
    "商贸",
    "物流",
    "置业",
    "餐饮管理",
    "食品",
    "机械制造",
    "环保科技",
    "房地产开发",
    "农业发展",
)

# (outcome, weight) among accepted and concluded cases
OUTCOME_WEIGHTS = (
    (Outcome.UPHELD, 50),
    (Outcome.CLAIM_REJECTED, 8),
    (Outcome.APPLICATION_REJECTED, 4),
    (Outcome.ANNULLED, 9),
    (Outcome.PARTLY_ANNULLED, 1),
    (Outcome.VARIED, 2),
    (Outcome.CONFIRMED_UNLAWFUL, 6),
    (Outcome.CONFIRMED_VOID, 1),
    (Outcome.ORDERED_TO_PERFORM, 3),
    (Outcome.MEDIATED, 6),
    (Outcome.SETTLED, 5),
    (Outcome.WITHDRAWN, 4),
    (Outcome.TERMINATED, 1),
)
SUMMARIES = {
    Outcome.UPHELD: "被申请人认定事实清楚，证据确凿，适用依据正确，程序合法，处理内容适当。",
    Outcome.CLAIM_REJECTED: "经查，被申请人在本机关受理前已经依法作出处理并书面告知申请人。",
    Outcome.APPLICATION_REJECTED: "经审理发现，申请人与被申请行政复议的行政行为没有利害关系，不符合受理条件。",
    Outcome.ANNULLED: "被申请人作出行政行为前未依法告知申请人陈述、申辩的权利，违反法定程序。",
    Outcome.PARTLY_ANNULLED: "被申请人对部分违法事实认定的证据不足，该部分处理应予撤销。",
    Outcome.VARIED: "被申请人认定事实清楚，但罚款数额明显高于同类违法行为的裁量基准，内容不适当。",
    Outcome.CONFIRMED_UNLAWFUL: "被申请人送达程序存在瑕疵，但对申请人权利不产生实际影响。",
    Outcome.CONFIRMED_VOID: "作出该行为的机构不具有行政主体资格。",
    Outcome.ORDERED_TO_PERFORM: "申请人已依法提出申请，被申请人未在法定期限内作出处理。",
    Outcome.MEDIATED: "经本机关主持调解，双方自愿达成调解协议。",
    Outcome.SETTLED: "申请人与被申请人自愿达成和解，申请人申请撤回行政复议申请。",
    Outcome.WITHDRAWN: "被申请人已自行纠正，申请人申请撤回行政复议申请。",
    Outcome.TERMINATED: "申请人因同一违法行为涉嫌犯罪被采取刑事强制措施。",
}

# litigation: (judgment code, weight)
JUDGMENT_WEIGHTS = (
    ("dismiss_claim", 52),
    ("annul", 8),
    ("annul_remake", 4),
    ("confirm_unlawful", 6),
    ("perform", 3),
    ("ruling_dismiss_suit", 12),
    ("ruling_withdrawn", 10),
    ("ruling_withdrawn_after_change", 5),
)
COURT_FIRST, COURT_SECOND = "明湖市湖滨区人民法院", "明湖市中级人民法院"
HEAD_POSTS = {"chief": "局长", "deputy": "副局长", "in_charge": "党组成员、总工程师"}


def _id_number(rng: random.Random, born: date) -> str:
    """A well-formed 18-digit 居民身份证号码 (GB 11643) of someone born in 明湖市."""
    body = f"3799{rng.choice(('02', '03', '21', '22'))}{born:%Y%m%d}{rng.randint(100, 999)}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


@dataclass
class _Desk:
    builder: object
    rng: random.Random
    today: date
    horizon: date  # last day of the loaded work calendar

    def workday(self, day: date) -> date:
        return get_calendar().roll_forward(day)

    def plus(self, day: date, period: str) -> date:
        return due_date(start=day, period=period, roll_forward=True)

    def at(self, day: date, hour: int | None = None) -> datetime:
        hour = hour if hour is not None else self.rng.choice((9, 10, 10, 11, 14, 15, 16))
        moment = timezone.make_aware(datetime.combine(day, time(hour, self.rng.randrange(60))))
        return min(moment, timezone.now())

    def key(self, unit) -> str:
        return next(k for k, u in self.builder.units.items() if u.pk == unit.pk)


def build(builder) -> None:
    """Write the 行政复议 and 行政应诉 casework of the demo city (see the module docstring)."""
    rng = builder.rng
    # a margin before the calendar's last day, so that no roll-forward reaches past it
    desk = _Desk(builder, rng, builder.today, get_calendar().last - timedelta(days=10))
    body = services.reconsideration_body_create(
        actor=builder.sysadmin,
        unit=builder.units["sfj"],
        authority=builder.units["szf"],
        document_prefix="明政复",
    )
    clerk = builder.handlers["sfj"]
    first_year = desk.today.year - len(RECONSIDERATIONS_PER_YEAR) + 1
    recs = []
    serials: dict[tuple[str, int], int] = {}
    for offset, per_year in enumerate(RECONSIDERATIONS_PER_YEAR):
        year = first_year + offset
        last = min(date(year, 12, 31), desk.today)
        count = per_year * builder.scale
        # the desk always has a queue: half of this year's applications came in the last weeks
        recent = count // 2 if year == desk.today.year else 0
        days = sorted(
            [_day_between(desk, date(year, 1, 4), last) for _ in range(count - recent)]
            + [_day_between(desk, desk.today - timedelta(days=80), desk.today) for _ in range(recent)]
        )
        if recent:
            days[-1] = get_calendar().previous_workday(desk.today + timedelta(days=1))  # today's post
        for received in days:
            received = _receivable(desk, received)
            recs.append(_reconsideration(desk, body, clerk, received, serials))
            builder.step()
    _follow_ups(desk, recs)
    _lawsuits(desk, recs, first_year)
    _documents(desk, clerk, recs)
    services.lapsed_reviews_sweep(today=desk.today)


def _receivable(desk: _Desk, day: date) -> date:
    """A receipt day whose decision period fits the loaded calendar: an application that would be
    accepted too late for it comes a few weeks earlier, unless it is still in its 5-day review."""
    latest = desk.horizon - timedelta(days=70)
    if latest < day <= desk.today - timedelta(days=7):
        return desk.workday(latest - timedelta(days=desk.rng.randint(0, 25)))
    return min(day, desk.today)


def _day_between(desk: _Desk, first: date, last: date) -> date:
    return min(desk.today, desk.workday(first + timedelta(days=desk.rng.randrange((last - first).days + 1))))


def _pick(rng: random.Random, weighted):
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def _reconsideration(desk: _Desk, body, clerk, received: date, serials: dict) -> Reconsideration:
    rng, builder = desk.rng, desk.builder
    key = rng.choices(list(RESPONDENTS), weights=[w for w, _ in RESPONDENTS.values()])[0]
    category, act, pattern, simple_ground = rng.choice(RESPONDENTS[key][1])
    serial = serials[(key, received.year)] = serials.get((key, received.year), 0) + rng.randint(3, 40)
    act_date = received - timedelta(days=rng.randint(10, 50))
    person = rng.random() < 0.72
    name = builder.person_name() if person else ""
    org = "" if person else f"明湖市{rng.choice(COMPANIES)}{rng.choice(TRADES)}有限公司"
    rec = services.reconsideration_register(
        actor=clerk,
        body=body,
        respondent=builder.units[key],
        received_at=desk.at(received),
        channel=rng.choices([c for c, _ in Reconsideration.Channel.choices], weights=(40, 25, 25, 2, 6, 2))[
            0
        ],
        applicant_kind=PartyKind.PERSON if person else PartyKind.LEGAL_PERSON,
        applicant_name=name,
        applicant_org=org,
        applicant_id_number=_id_number(
            rng, date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28))
        )
        if person
        else "",
        applicant_phone=f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}",
        act_name=act,
        act_number=pattern.format(y=act_date.year, n=serial) if pattern else "",
        act_category=category,
        act_date=act_date,
        known_on=act_date + timedelta(days=rng.randint(1, 7)),
        claims=CLAIMS[category].format(act=act),
        facts="申请人认为被申请人认定事实不清，适用法律错误，程序违法，请求依法审查。",
    )
    _review(desk, rec, clerk, simple_ground)
    return rec


def _review(desk: _Desk, rec: Reconsideration, clerk, simple_ground: str) -> None:
    """受理审查: 补正, 不予受理, or 受理 (a few left to lapse into 视为受理)."""
    rng, today = desk.rng, desk.today
    received = rec.case.start_date
    if rng.random() < 0.15:
        notified = desk.plus(received, f"{rng.randint(1, 3)}wd")
        if notified > today or notified > rec.review_due:
            return
        services.correction_request(
            reconsideration=rec,
            actor=clerk,
            notified_on=notified,
            items="1. 被申请行政复议的行政行为的法律文书复印件；2. 申请人身份证明材料。",
        )
        if rng.random() < 0.2:
            if today > rec.correction_due:
                services.correction_abandon(
                    reconsideration=rec, actor=clerk, on=min(today, rec.correction_due + timedelta(days=3))
                )
            return
        supplied = desk.plus(notified, f"{rng.randint(2, 9)}wd")
        if supplied > today:
            return
        services.correction_receive(reconsideration=rec, actor=clerk, received_on=supplied)
    start = rec.case.start_date
    if rng.random() < 0.1:
        rejected = desk.plus(start, f"{rng.randint(2, 4)}wd")
        if rejected <= today:
            ground = rng.choice(["out_of_time", "out_of_scope", "no_interest", "not_competent", "duplicate"])
            services.reconsideration_reject(
                reconsideration=rec,
                actor=clerk,
                rejected_on=rejected,
                ground=ground,
                reason="经审查，申请不符合行政复议法第三十条规定的受理条件。",
                competent_body="国家税务总局明湖市税务局" if ground == "not_competent" else "",
            )
        return
    lapse = rng.random() < 0.05  # the clerk records the acceptance after the review period ran out
    accepted = rec.review_due + timedelta(days=2) if lapse else desk.plus(start, f"{rng.randint(1, 4)}wd")
    if accepted > today:
        return  # still in review; `lapsed_reviews_sweep` deems it accepted if the period runs out
    accepted_on = min(accepted, rec.review_due)
    procedure = Procedure.SIMPLE if simple_ground and rng.random() < 0.55 else Procedure.NORMAL
    if procedure == Procedure.NORMAL and accepted_on + timedelta(days=60) > desk.horizon:
        procedure = Procedure.SIMPLE if simple_ground else ""
    if procedure == Procedure.SIMPLE and accepted_on + timedelta(days=30) > desk.horizon:
        procedure = ""
    if not procedure:
        return  # its decision period would end past the loaded calendar: left in review
    services.reconsideration_accept(
        reconsideration=rec,
        actor=clerk,
        accepted_on=accepted,
        procedure=procedure,
        simple_ground=simple_ground if procedure == Procedure.SIMPLE else "",
    )
    _hear(desk, rec, clerk)


def _answer_online(desk: _Desk, rec: Reconsideration) -> None:
    """A respondent still in its answer period has answered online today, for the clerk to sign."""
    if desk.today > rec.answer_due:
        return
    key = next((k for k, u in desk.builder.units.items() if u.pk == rec.respondent_id), None)
    handler = desk.builder.handlers.get(key)
    if handler is None:
        return
    services.answer_submit(
        reconsideration=rec,
        actor=handler,
        text=f"{rec.respondent.name}作出的{rec.act_name}认定事实清楚、证据确凿、适用依据正确、程序合法，请求予以维持。",
        files=[
            SimpleUploadedFile("行政复议答复书.pdf", b"%PDF-1.4 demo answer", content_type="application/pdf"),
            SimpleUploadedFile("证据材料目录.pdf", b"%PDF-1.4 demo evidence", content_type="application/pdf"),
        ],
    )


def _hear(desk: _Desk, rec: Reconsideration, clerk) -> None:
    rng, today = desk.rng, desk.today
    simple = rec.procedure == Procedure.SIMPLE
    late_copy = rng.random() < 0.03
    served = desk.plus(
        rec.accepted_on, f"{rng.randint(8, 9) if late_copy else rng.randint(1, 3 if simple else 6)}wd"
    )
    if served > today:
        return
    services.copy_serve(reconsideration=rec, actor=clerk, served_on=served)
    roll = rng.random()
    if roll < 0.02:
        if today > rec.answer_due:
            services.answer_receive(reconsideration=rec, actor=clerk, received_on=None)
        else:
            return
    else:
        late = roll < 0.07
        answered = desk.plus(
            served, f"{rng.randint(11, 14) if late else rng.randint(3, 5 if simple else 10)}wd"
        )
        if answered > today:
            _answer_online(desk, rec)
            return
        services.answer_receive(reconsideration=rec, actor=clerk, received_on=answered)
    heard_from = rec.answer_received_on or rec.answer_due + timedelta(days=1)
    if not simple and rng.random() < 0.35:
        kind = Hearing.Kind.HEARING if rng.random() < 0.2 else Hearing.Kind.VIEWS
        notice = heard_from + timedelta(days=rng.randint(1, 4))
        when = desk.plus(notice, f"{rng.randint(6, 10)}wd")
        if when <= rec.case.due_date:
            hearing = services.hearing_schedule(
                reconsideration=rec,
                actor=clerk,
                kind=kind,
                scheduled_at=desk.at(when, 9),
                place="市司法局行政复议听证室" if kind == Hearing.Kind.HEARING else "电话听取意见",
                notice_sent_on=notice,
            )
            if when < today:
                services.hearing_conclude(
                    hearing=hearing,
                    actor=clerk,
                    status=Hearing.Status.HELD,
                    minutes="申请人、被申请人均到场（或电话）陈述意见，已制作笔录。",
                )
    if not simple and rng.random() < 0.04:
        stopped = heard_from + timedelta(days=rng.randint(5, 15))
        if stopped >= today:
            return
        services.reconsideration_suspend(
            reconsideration=rec,
            actor=clerk,
            ground="other_case",
            reason="等待相关民事诉讼审理结果",
            on=stopped,
        )
        resumed = stopped + timedelta(days=rng.randint(10, 40))
        if resumed > today or rec.case.due_date + (resumed - stopped) > desk.horizon:
            return
        services.reconsideration_resume(reconsideration=rec, actor=clerk, on=resumed)
    _decide(desk, rec, clerk)


def _decide(desk: _Desk, rec: Reconsideration, clerk) -> None:
    rng, today, builder = desk.rng, desk.today, desk.builder
    due = rec.case.due_date
    extend = rec.procedure == Procedure.NORMAL and rng.random() < 0.08
    if extend and due + timedelta(days=30) <= desk.horizon and due - timedelta(days=5) <= today:
        services.reconsideration_extend(
            reconsideration=rec,
            actor=builder.users["fazhiban"],
            requested_by=clerk,
            period="30d",
            reason="案情重大复杂，需要进一步调查取证",
        )
        due = rec.case.due_date
    started = rec.answer_received_on or rec.answer_due + timedelta(days=1)
    # most decisions come in the second half of the period; a few miss it
    span = (18, 29) if rec.procedure == Procedure.SIMPLE else (38, 58)
    if rng.random() < 0.04:
        decided = due + timedelta(days=rng.randint(1, 8))
    else:
        decided = min(due, rec.accepted_on + timedelta(days=rng.randint(*span)))
    decided = max(decided, started + timedelta(days=3))
    if decided > today:
        return
    outcome = _pick(rng, OUTCOME_WEIGHTS)
    grounds = [g for g, _label in catalogue.OUTCOME_GROUNDS[outcome] if g != "no_answer"]
    if services.answered_late(rec) and outcome in (Outcome.ANNULLED, Outcome.CONFIRMED_UNLAWFUL):
        grounds = ["no_answer"]
    services.reconsideration_decide(
        reconsideration=rec,
        actor=clerk,
        outcome=outcome,
        ground=rng.choice(grounds),
        summary=SUMMARIES[outcome],
        decided_on=decided,
        remake_ordered=outcome in catalogue.REMAKE_OUTCOMES and rng.random() < 0.6,
    )


def _follow_ups(desk: _Desk, recs: list[Reconsideration]) -> None:
    """复议意见书 to respondents whose acts were corrected; the older ones answered."""
    corrected = [
        r
        for r in recs
        if r.outcome in (Outcome.ANNULLED, Outcome.CONFIRMED_UNLAWFUL, Outcome.VARIED)
        and r.decided_on + timedelta(days=70) <= desk.horizon
    ]
    chosen = corrected[-FOLLOW_UPS:] if len(corrected) >= FOLLOW_UPS else corrected
    supervisor = desk.builder.users["fazhiban"]
    for n, rec in enumerate(chosen):
        issued = rec.decided_on + timedelta(days=desk.rng.randint(3, 10))
        follow_up = services.follow_up_issue(
            reconsideration=rec,
            actor=supervisor,
            kind="opinion",
            addressee=rec.respondent,
            issued_on=issued,
            content="在办理本案中发现，你单位作出行政行为时存在未依法告知陈述申辩权利、送达不规范等问题，同类问题多次出现。",
        )
        replied = issued + timedelta(days=desk.rng.randint(20, 65))
        if n % 3 != 2 and replied <= desk.today:
            handler = desk.builder.handlers[desk.key(rec.respondent)]
            services.follow_up_reply(
                follow_up=follow_up,
                actor=handler,
                replied_on=replied,
                reply="已组织执法人员专题培训，修订执法文书格式，对本案涉及的执法人员进行了约谈。",
            )
    desk.builder.step(len(chosen))


def _lawsuits(desk: _Desk, recs: list[Reconsideration], first_year: int) -> None:
    """Lawsuits: some after 复议维持 (the 复议机关 a co-defendant), most directly against the act."""
    rng, builder = desk.rng, desk.builder
    upheld = [
        r for r in recs if r.outcome == Outcome.UPHELD and r.decided_on + timedelta(days=200) <= desk.today
    ]
    rng.shuffle(upheld)
    concluded_first = []
    number = 0
    for offset, per_year in enumerate(LAWSUITS_PER_YEAR):
        year = first_year + offset
        count = per_year * builder.scale
        for n in range(count):
            number += 1
            rec = (
                upheld.pop() if upheld and rng.random() < 0.3 and upheld[-1].decided_on.year == year else None
            )
            # this year's last complaints arrived in the last weeks: defences due or (one) overdue
            filed = None
            if year == desk.today.year and n >= count - 3:
                filed = desk.today - timedelta(days=(25 if n == count - 3 else rng.randint(4, 9)))
                rec = None
            lawsuit = _lawsuit(desk, year, number, rec, filed=filed)
            if lawsuit.appealed_by in (Lawsuit.AppealedBy.DEFENDANT, Lawsuit.AppealedBy.PLAINTIFF):
                concluded_first.append(lawsuit)
            builder.step()
    appeals = 0
    for first in concluded_first:
        if appeals >= APPEALS:
            break
        if _appeal(desk, first, appeals + 1):
            appeals += 1
    # the number of engine cases stays fixed (see `cases_built`): missing appeals become first instances
    while appeals < APPEALS:
        number += 1
        _lawsuit(desk, desk.today.year - 1, number, None, appealed=False)
        appeals += 1


def _lawsuit(
    desk: _Desk,
    year: int,
    number: int,
    rec: Reconsideration | None,
    appealed: bool = True,
    filed: date | None = None,
) -> Lawsuit:
    rng, builder, today = desk.rng, desk.builder, desk.today
    if rec is not None:
        defendant_key = desk.key(rec.respondent)
        filed = rec.decided_on + timedelta(days=rng.randint(8, 14))
        act_name, category = rec.act_name, rec.act_category
    else:
        defendant_key = rng.choices(list(RESPONDENTS), weights=[w for w, _ in RESPONDENTS.values()])[0]
        category, act_name, _pattern, _simple = rng.choice(RESPONDENTS[defendant_key][1])
    recent = filed is not None
    if filed is None and rec is None:
        last = min(date(year, 12, 31), today - timedelta(days=3))
        filed = date(year, 1, 8) + timedelta(days=rng.randrange(max(1, (last - date(year, 1, 8)).days)))
    filed = desk.workday(min(filed, today - timedelta(days=3)))
    if not recent and add_months(filed, 6) > desk.horizon and (today - filed).days > 20:
        filed = desk.workday(add_months(desk.horizon, -6) - timedelta(days=rng.randint(5, 40)))
    received = min(today, desk.plus(filed, f"{rng.randint(2, 5)}wd"))
    handler = builder.handlers[defendant_key]
    person = rng.random() < 0.6
    lawsuit = services.lawsuit_register(
        actor=handler,
        defendant=builder.units[defendant_key],
        court=COURT_FIRST,
        court_number=f"（{filed.year}）鲁9902行初{number}号",
        instance=Lawsuit.Instance.FIRST,
        procedure=Procedure.SIMPLE if rng.random() < 0.15 else Procedure.NORMAL,
        plaintiff_kind=PartyKind.PERSON if person else PartyKind.LEGAL_PERSON,
        plaintiff_name=builder.person_name() if person else "",
        plaintiff_org="" if person else f"明湖市{rng.choice(COMPANIES)}{rng.choice(TRADES)}有限公司",
        act_name=act_name,
        act_category=category,
        filed_on=filed,
        complaint_received_on=received,
        reconsideration=rec,
    )
    _litigate(desk, lawsuit, handler, appealed=appealed)
    return lawsuit


def _head_rate(year: int, today: date) -> float:
    """Heads appear more often each year, as the 2020 rules took hold (national 41.8% in 2020)."""
    return min(0.92, 0.55 + 0.09 * (year - (today.year - 4)))


def _litigate(desk: _Desk, lawsuit: Lawsuit, handler, *, appealed: bool = True) -> None:
    rng, today = desk.rng, desk.today
    late = rng.random() < 0.05
    defended = lawsuit.complaint_received_on + timedelta(
        days=rng.randint(16, 19) if late else rng.randint(6, 14)
    )
    court_period = catalogue.COURT_PERIOD[(lawsuit.instance, lawsuit.procedure)]
    if (
        defended > today
        or due_date(start=lawsuit.filed_on, period=court_period, roll_forward=False) > desk.horizon
    ):
        return
    services.defence_file(lawsuit=lawsuit, actor=handler, filed_on=defended)
    day = defended + timedelta(days=rng.randint(30, 90))
    for _hearing in range(1 if rng.random() < 0.8 else 2):
        held = desk.workday(day)
        if held >= today:
            return
        summoned = rng.random() < 0.35
        hearing = services.court_hearing_add(
            lawsuit=lawsuit,
            actor=handler,
            held_at=desk.at(held, 9),
            kind=CourtHearing.Kind.TRIAL,
            notice_received_on=held - timedelta(days=rng.randint(4, 15)),
            head_summoned=summoned,
        )
        _attend(desk, hearing, lawsuit, handler, summoned)
        day = held + timedelta(days=rng.randint(30, 60))
    judged = day + timedelta(days=rng.randint(-10, 60))
    served = judged + timedelta(days=rng.randint(2, 6))
    if served > today or served + timedelta(days=20) > desk.horizon:
        return
    code = _pick(rng, JUDGMENT_WEIGHTS)
    services.judgment_record(
        lawsuit=lawsuit,
        actor=handler,
        judgment_type=JudgmentType.objects.get(code=code),
        judgment_on=judged,
        served_on=served,
        summary="",
    )
    if lawsuit.case.status == "closed":
        return
    concluded = served + timedelta(days=rng.randint(11, 16))
    if concluded > today:
        return
    lost = lawsuit.result == "lost"
    appeal = appealed and rng.random() < (0.5 if lost else 0.25)
    by = (
        (Lawsuit.AppealedBy.DEFENDANT if lost else Lawsuit.AppealedBy.PLAINTIFF)
        if appeal
        else Lawsuit.AppealedBy.NONE
    )
    services.lawsuit_conclude(lawsuit=lawsuit, actor=handler, appealed_by=by, concluded_on=concluded)


def _attend(desk: _Desk, hearing: CourtHearing, lawsuit: Lawsuit, handler, summoned: bool) -> None:
    rng = desk.rng
    for defendant in lawsuit.defendants.select_related("unit"):
        head = rng.random() < _head_rate(hearing.held_at.year, desk.today) + (0.05 if summoned else 0)
        people = [{"name": desk.builder.person_name(), "post": "法制科科长", "capacity": "staff"}]
        reason = ""
        if head:
            capacity = rng.choices(("chief", "deputy", "in_charge"), weights=(30, 55, 15))[0]
            people.insert(
                0, {"name": desk.builder.person_name(), "post": HEAD_POSTS[capacity], "capacity": capacity}
            )
        else:
            reason = rng.choices(("duty", "other", "none"), weights=(60, 20, 20))[0]
        if rng.random() < 0.4:
            people.append(
                {"name": desk.builder.person_name(), "post": "明湖律师事务所律师", "capacity": "lawyer"}
            )
        services.attendance_record(
            hearing=hearing,
            actor=handler,
            unit=defendant.unit,
            attendees=people,
            absence_reason=reason,
            absence_note="参加市政府常务会议" if reason == "duty" else "",
        )


def _appeal(desk: _Desk, first: Lawsuit, number: int) -> bool:
    rng, builder = desk.rng, desk.builder
    filed = desk.workday(first.concluded_on + timedelta(days=rng.randint(20, 40)))
    if filed >= desk.today - timedelta(days=3) or add_months(filed, 3) > desk.horizon:
        return False
    handler = builder.handlers[desk.key(first.case.handling_unit)]
    second = services.lawsuit_register(
        actor=handler,
        defendant=first.case.handling_unit,
        court=COURT_SECOND,
        court_number=f"（{filed.year}）鲁99行终{number}号",
        instance=Lawsuit.Instance.SECOND,
        plaintiff_kind=first.plaintiff_kind,
        plaintiff_name=first.plaintiff_name,
        plaintiff_org=first.plaintiff_org,
        act_name=first.act_name,
        act_category=first.act_category,
        filed_on=filed,
        complaint_received_on=min(desk.today, desk.plus(filed, "3wd")),
        appeal_of=first,
        reconsideration=first.reconsideration,
    )
    defended = second.complaint_received_on + timedelta(days=rng.randint(5, 14))
    if defended > desk.today:
        return True
    services.defence_file(lawsuit=second, actor=handler, filed_on=defended)
    held = desk.workday(defended + timedelta(days=rng.randint(20, 40)))
    if held >= desk.today:
        return True
    hearing = services.court_hearing_add(lawsuit=second, actor=handler, held_at=desk.at(held, 9))
    _attend(desk, hearing, second, handler, False)
    judged = held + timedelta(days=rng.randint(10, 30))
    served = judged + timedelta(days=3)
    if served <= desk.today:
        code = "appeal_dismissed" if rng.random() < 0.8 else "appeal_varied_won"
        services.judgment_record(
            lawsuit=second,
            actor=handler,
            judgment_type=JudgmentType.objects.get(code=code),
            judgment_on=judged,
            served_on=served,
        )
    return True


def _documents(desk: _Desk, clerk, recs: list[Reconsideration]) -> None:
    """The latest decisions are issued as DOCX; the latest acceptances have their notices drafted."""
    decided = [r for r in recs if r.outcome][-4:]
    for rec in decided:
        document = services.document_draft(case=rec.case, kind=DocumentKind.DECISION, actor=clerk)
        services.document_issue(document=document, actor=clerk, issued_on=rec.decided_on)
    for rec in [r for r in recs if r.is_accepted and not r.outcome][-3:]:
        services.document_draft(case=rec.case, kind=DocumentKind.ACCEPTANCE_NOTICE, actor=clerk)
