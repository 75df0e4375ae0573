"""Explainable rule lists: which requests the hotline must not dispatch, and which answers are 敷衍.

Both lists are plain data so a reviewer can read why a request was refused or an answer flagged;
learned scoring can be added behind the same functions later.
"""

import re
from dataclasses import dataclass

from django.conf import settings

# --- 诉求分类处理 (国办函〔2025〕66号) ---------------------------------------------------------------

EMERGENCY_RULES: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "119",
        "火灾、燃气泄漏或被困等险情",
        (
            "着火",
            "火灾",
            "起火",
            "失火",
            "火苗",
            "燃气泄漏",
            "煤气泄漏",
            "天然气泄漏",
            "闻到煤气味",
            "爆炸",
            "困在电梯",
            "电梯困人",
            "被困住",
            "人被困",
        ),
    ),
    (
        "120",
        "急症或伤病急救",
        (
            "有人晕倒",
            "晕倒",
            "昏迷",
            "不省人事",
            "没有呼吸",
            "没呼吸",
            "心脏病发作",
            "大出血",
            "抽搐",
            "中毒",
            "急救",
            "快不行了",
        ),
    ),
    (
        "110",
        "正在发生的违法犯罪或人身危险",
        (
            "抢劫",
            "打架",
            "斗殴",
            "持刀",
            "砍人",
            "杀人",
            "绑架",
            "家暴",
            "跳楼",
            "自杀",
            "轻生",
            "正在偷",
            "入室盗窃",
        ),
    ),
    ("122", "道路交通事故", ("车祸", "交通事故", "撞车", "追尾", "撞人", "肇事逃逸", "翻车")),
]

STATUTORY_RULES: list[tuple[str, str, tuple[str, ...], str]] = [
    (
        "litigation",
        "诉讼",
        ("起诉", "打官司", "告到法院", "向法院", "法院判决", "提起上诉", "申请强制执行"),
        "可以依法向有管辖权的人民法院提起诉讼；已经进入诉讼的，按诉讼程序办理。",
    ),
    (
        "reconsideration",
        "行政复议",
        ("行政复议", "申请复议", "复议"),
        "对行政行为不服的，可以自知道该行政行为之日起六十日内向行政复议机关申请行政复议。",
    ),
    (
        "arbitration",
        "仲裁",
        ("仲裁",),
        "劳动人事争议可以向劳动人事争议仲裁委员会申请仲裁，合同纠纷可以按约定向仲裁机构申请仲裁。",
    ),
    (
        "petition",
        "信访",
        ("信访", "上访"),
        "已经进入信访程序的事项，按《信访工作条例》由有权处理的机关办理，可向其查询进展。",
    ),
    (
        "discipline",
        "纪检监察",
        ("贪污", "受贿", "行贿", "纪委", "监委", "违纪"),
        "反映公职人员违纪违法问题，可以向纪检监察机关举报（12388）。",
    ),
    (
        "disclosure",
        "政府信息公开",
        ("信息公开申请", "申请政府信息公开", "依申请公开"),
        "可以按《政府信息公开条例》向有关行政机关提出政府信息公开申请。",
    ),
]


@dataclass(frozen=True)
class Triage:
    """A request the hotline does not dispatch, and what the operator tells the caller."""

    kind: str  # "emergency" or "statutory"
    code: str  # "119" … or "litigation" …
    label: str
    hits: tuple[str, ...]
    guidance: str


def triage(text: str) -> Triage | None:
    """Emergencies first (a fire outranks a lawsuit); None when the request is the hotline's to handle.

    Words are chosen not to occur inside everyday phrases: "上诉" hides in "以上诉求" and "被困" in
    "被困扰", so the rules list "提起上诉" and "被困住" instead.
    """
    text = text or ""
    for number, label, words in EMERGENCY_RULES:
        hits = tuple(w for w in words if w in text)
        if hits:
            return Triage(
                kind="emergency",
                code=number,
                label=label,
                hits=hits,
                guidance=(
                    f"内容涉及{label}（识别到“{'”“'.join(hits)}”），属于{number}受理范围：请立即三方转接{number}，"
                    f"并告知来电人遇到险情直接拨打{number}。本诉求不派单，按“转紧急热线”记录。"
                ),
            )
    for code, label, words, advice in STATUTORY_RULES:
        hits = tuple(w for w in words if w in text)
        if hits:
            return Triage(
                kind="statutory",
                code=code,
                label=label,
                hits=hits,
                guidance=(
                    f"内容涉及{label}等法定途径（识别到“{'”“'.join(hits)}”），按国办函〔2025〕66号应告知来电人：{advice}"
                    "本诉求不派单，按“告知法定途径”记录。"
                ),
            )
    return None


# --- 答复规则 (敷衍答复) -------------------------------------------------------------------------

TEMPLATE_PHRASES = (
    "已转相关部门处理",
    "已转交相关部门",
    "已转相关部门",
    "相关部门",
    "正在处理中",
    "正在处理",
    "已收悉",
    "已知悉",
    "已处理",
    "会尽快处理",
    "尽快处理",
    "按规定办理",
    "依法依规处理",
    "高度重视",
    "感谢您的来电",
    "感谢您对我们工作的支持",
    "已记录",
    "已反馈",
    "谢谢",
)
VAGUE_WORDS = ("尽快", "择机", "适时", "近期", "下一步", "研究", "协调", "争取")
CONCRETE = re.compile(r"[0-9０-９]|[一二三四五六七八九十两]+(?:个工作日|日|天|周|月|号)|今天|明天|本周|已于")
PUNCTUATION = re.compile(r"[\s，。、！？；：,.!?;:“”\"'（）()《》【】\-—…]+")
MIN_REMAINDER_CHARS = 8  # what is left after the template phrases must say something


def min_reply_chars() -> int:
    return getattr(settings, "FAZHI_HOTLINE_MIN_REPLY_CHARS", 15)


def min_action_chars() -> int:
    return getattr(settings, "FAZHI_HOTLINE_MIN_ACTION_CHARS", 10)


@dataclass(frozen=True)
class Finding:
    code: str
    field: str
    message: str


def _substance(text: str) -> str:
    for phrase in TEMPLATE_PHRASES:
        text = text.replace(phrase, "")
    return PUNCTUATION.sub("", text)


def reply_errors(*, text: str, actions: str) -> list[Finding]:
    """Rules that refuse a reply: too short, or nothing but stock phrases."""
    findings: list[Finding] = []
    text, actions = (text or "").strip(), (actions or "").strip()
    if len(text) < min_reply_chars():
        findings.append(
            Finding("too_short", "text", f"答复内容不少于{min_reply_chars()}个字，请写明对来电人诉求的答复。")
        )
    elif len(_substance(text)) < MIN_REMAINDER_CHARS:
        findings.append(
            Finding(
                "template_only",
                "text",
                "答复只有“已转相关部门处理”之类的套话，请写明针对本诉求的具体答复。",
            )
        )
    if len(actions) < min_action_chars():
        findings.append(
            Finding(
                "no_actions",
                "actions",
                f"请写明实际做了什么（不少于{min_action_chars()}个字）：何时、到哪里、采取了什么措施、结果如何。",
            )
        )
    elif len(_substance(actions)) < MIN_REMAINDER_CHARS:
        findings.append(
            Finding(
                "template_actions",
                "actions",
                "办理情况只有套话，请写明何时、到哪里、采取了什么措施、结果如何。",
            )
        )
    return findings


def reply_flags(
    *, text: str, actions: str, contacted_caller: bool, content: str, topic_words: list[str]
) -> list[Finding]:
    """Rules that let a reply through but mark it for the centre's review."""
    flags: list[Finding] = []
    answer = f"{text}\n{actions}"
    if not contacted_caller:
        flags.append(Finding("not_contacted", "contacted_caller", "答复前未联系来电人。"))
    if any(w in answer for w in VAGUE_WORDS) and not CONCRETE.search(answer):
        flags.append(
            Finding("vague_promise", "text", "答复只作原则性承诺（如“尽快”“协调”），没有具体时间或措施。")
        )
    # Off topic: the caller used the category's vocabulary and the answer uses none of it.
    asked = [w for w in topic_words if w in (content or "")]
    if asked and not any(w in answer for w in topic_words):
        flags.append(
            Finding("off_topic", "text", f"答复没有提到来电反映的“{'”“'.join(asked[:3])}”，可能答非所问。")
        )
    return flags
