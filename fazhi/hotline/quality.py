"""敷衍答复: explainable rules that mark a reply for the centre's review, a score to sort the
review queue by, and the centre's two answers to a flagged reply — it stands, or it goes back to
the unit (重办, a new clock from today).

The refusal rules (too short, nothing but stock phrases) and the first review flags live in
rules.py; this module adds what needs jieba: does the answer take up what the caller asked, and
does it promise anything a caller could check (a time, an action, a result).
"""

import re

import jieba.analyse
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.cases import services as case_services
from fazhi.cases.models import Case
from fazhi.core import audit
from fazhi.hotline import learning, permissions, rules
from fazhi.hotline.models import Reply
from fazhi.org.models import User

BRIEF_CHARS = 40  # answer and actions together, after the stock phrases are taken out
TEMPLATE_SHARE = 0.5  # stock phrases make up at least half of the answer
REQUEST_TERMS = 8  # the caller's words the answer is checked against
MIN_OVERLAP = 1  # at least one of them must come back in the answer

ACTION_WORDS = (
    "到场", "现场", "上门", "实地", "核查", "核实", "勘查", "检测", "查处", "立案", "处罚", "罚款", "责令",
    "约谈", "维修", "修复", "修补", "抢修", "更换", "安装", "清理", "清运", "清扫", "拆除", "疏通", "回填",
    "整改", "调解", "协商", "退还", "退款", "补发", "发放", "恢复", "张贴", "设置", "增设", "劝离", "取缔",
    "告知", "解释", "送达", "下达", "联系", "回复",
)  # fmt: skip
RESULT_WORDS = re.compile(
    r"已(?:经)?(?:修复|修好|恢复|清理|清运|拆除|整改|退还|退款|补发|解决|更换|安装|疏通|处罚|立案|完成|办结|到位|发放|取缔)"
)
TIME_WORDS = re.compile(
    r"\d{1,2}月\d{1,2}日|\d{1,2}日|\d{1,2}[:：]\d{2}|\d+个?工作日|\d+天|[上下]午|当天|当日|次日|今日|本周|本月|目前|截至"
)

WEIGHTS = {
    "not_contacted": 15,
    "vague_promise": 20,
    "off_topic": 25,
    "low_overlap": 25,
    "mostly_template": 25,
    "no_commitment": 30,
    "brief": 15,
}


def _stock_share(text: str) -> float:
    """How much of the answer is stock phrases, by characters (longest phrases counted first)."""
    stripped = rules.PUNCTUATION.sub("", text)
    if not stripped:
        return 1.0
    rest = stripped
    for phrase in sorted(rules.TEMPLATE_PHRASES, key=len, reverse=True):
        rest = rest.replace(phrase, "")
    return 1 - len(rest) / len(stripped)


def request_terms(content: str, *, limit: int = REQUEST_TERMS) -> list[str]:
    """The caller's content words, most telling first (jieba's TF-IDF keywords, fillers removed)."""
    learning.words("")  # loads the hotline's own phrases into jieba first
    terms = jieba.analyse.extract_tags(learning.normalise(content or ""), topK=limit * 2)
    return [t for t in terms if t not in learning.STOPWORDS and len(t) >= 2 and not t.isdigit()][:limit]


def overlap(content: str, answer: str) -> tuple[list[str], list[str]]:
    """(terms of the request, those the answer takes up), comparing jieba words, not characters."""
    terms = request_terms(content)
    said = set(learning.words(answer))
    taken_up = [t for t in terms if t in said or t in answer]
    return terms, taken_up


def reply_flags(
    *, text: str, actions: str, contacted_caller: bool, content: str, topic_words: list[str]
) -> list[rules.Finding]:
    """Every review flag for a reply the services accept: rules.py's, then the jieba-based ones."""
    flags = rules.reply_flags(
        text=text,
        actions=actions,
        contacted_caller=contacted_caller,
        content=content,
        topic_words=topic_words,
    )
    codes = {f.code for f in flags}
    answer = f"{text}\n{actions}"
    if len(rules._substance(answer)) < BRIEF_CHARS:
        flags.append(
            rules.Finding(
                "brief",
                "text",
                f"答复和办理情况去掉套话后不足{BRIEF_CHARS}字，可能过于简单，请核实是否说清了办理经过和结果。",
            )
        )
    share = _stock_share(text)
    if share >= TEMPLATE_SHARE:
        flags.append(
            rules.Finding(
                "mostly_template",
                "text",
                f"答复约{share:.0%}是“已转相关部门处理”“高度重视”之类的套话，针对本诉求的内容很少。",
            )
        )
    if "off_topic" not in codes:
        terms, taken_up = overlap(content, answer)
        if len(terms) >= 3 and len(taken_up) < MIN_OVERLAP:
            flags.append(
                rules.Finding(
                    "low_overlap",
                    "text",
                    f"答复没有回应来电反映的“{'”“'.join(terms[:3])}”，可能答非所问。",
                )
            )
    has_time = bool(TIME_WORDS.search(answer))
    has_action = any(w in answer for w in ACTION_WORDS)
    has_result = bool(RESULT_WORDS.search(answer))
    if not (has_time or has_action or has_result):
        flags.append(
            rules.Finding(
                "no_commitment",
                "actions",
                "答复没有写明何时、采取了什么措施或结果如何（如“9月25日到场修补，已恢复通行”），来电人无从核实。",
            )
        )
    return flags


def perfunctory_score(flags: list[dict]) -> int:
    """0–100: the weights of the flags a reply carries; the review queue shows the highest first."""
    return min(100, sum(WEIGHTS.get(flag.get("code", ""), 10) for flag in flags or []))


# --- the centre's review --------------------------------------------------------------------------


def _require_reviewable(reply: Reply, actor: User) -> None:
    if not permissions.can_callback(actor, reply.ticket):
        raise PermissionDenied("只有12345中心可以复核答复。")
    if reply.reviewed_at is not None:
        raise ValidationError(f"该答复已于{timezone.localtime(reply.reviewed_at):%Y-%m-%d %H:%M}复核。")
    latest = Reply.objects.filter(ticket=reply.ticket).order_by("-replied_at", "-id").first()
    if latest is not None and latest.pk != reply.pk:
        raise ValidationError("承办单位已重新答复，请复核最新的答复。")


@transaction.atomic
def reply_clear(*, reply: Reply, actor: User, note: str = "") -> Reply:
    """The centre finds a flagged reply adequate; it leaves the review queue."""
    _require_reviewable(reply, actor)
    reply.reviewed_at, reply.reviewed_by = timezone.now(), actor
    reply.review_outcome, reply.review_note = "cleared", (note or "").strip()[:300]
    reply.save(update_fields=["reviewed_at", "reviewed_by", "review_outcome", "review_note"])
    audit.record(actor=actor, action="hotline.reply_cleared", target=reply.ticket, after={"reply": reply.pk})
    return reply


@transaction.atomic
def reply_send_back(*, reply: Reply, actor: User, reason: str) -> Reply:
    """退回重办: the answer was perfunctory; the unit handles the request again with a new clock."""
    from fazhi.hotline.services import handling_limit_for

    _require_reviewable(reply, actor)
    if len((reason or "").strip()) < 5:
        raise ValidationError(
            {"reason": "请写明退回理由（不少于5个字），如答复未回应哪项诉求、缺少哪些办理情况。"}
        )
    ticket = reply.ticket
    case = ticket.case
    if case is None or case.status != Case.Status.CLOSED:
        raise ValidationError(f"工单{ticket.reference}不在办结状态，不能退回重办。")
    limit = handling_limit_for(ticket.category, ticket.request_type)
    case_services.case_reopen(
        case=case,
        actor=actor,
        reason=f"答复敷衍，退回重办：{reason.strip()}",
        period=limit.period if limit else "",
        to_stage="handle",
    )
    reply.reviewed_at, reply.reviewed_by = timezone.now(), actor
    reply.review_outcome, reply.review_note = "sent_back", reason.strip()[:300]
    reply.save(update_fields=["reviewed_at", "reviewed_by", "review_outcome", "review_note"])
    audit.record(
        actor=actor,
        action="hotline.reply_sent_back",
        target=ticket,
        after={"reply": reply.pk, "due": case.due_date.isoformat()},
    )
    return reply
