"""The statutory data of 行政复议 and 行政应诉, with the article each value comes from.

Periods and outcome lists fixed by law live here as constants (DOMAIN.md §3, §4, §14, read in
the primary texts). What a jurisdiction decides for itself or what no source settles — which
outcomes count as 纠错, the denominator of a rate, whether a ruling is a loss, the document
wording — is data: loaded once by the data migration from the defaults below, then edited in
the admin.
"""

# --- 行政复议法 (2023) periods -----------------------------------------------------------------------
# "三日、五日、七日、十日" are working days (Art. 88); the others are calendar days.

REVIEW_PERIOD = "5wd"  # acceptance review; deemed accepted when it lapses (Art. 30)
CORRECTION_NOTICE_PERIOD = "5wd"  # notice to supplement within 5 days of receipt (Art. 31)
CORRECTION_PERIOD = "10wd"  # the applicant supplements within 10 days of the notice (Art. 31)
COPY_PERIOD = {"normal": "7wd", "simple": "3wd"}  # copy to the respondent (Arts. 48, 54)
ANSWER_PERIOD = {"normal": "10wd", "simple": "5wd"}  # respondent's answer (Arts. 48, 54)
SIMPLE_DECISION_PERIOD = "30d"  # 简易程序 decision (Art. 62); 普通 comes from the case type (60d)
HEARING_NOTICE_PERIOD = "5wd"  # 听证 notice at least 5 days before (Art. 51)
APPLICATION_PERIOD = "60d"  # application within 60 days of knowing the act (Art. 20)
ABSOLUTE_BAR_YEARS = {"real_property": 20, "other": 5}  # Art. 21

# --- 行政诉讼法 periods ---------------------------------------------------------------------------
DEFENCE_PERIOD = "15d"  # defence and evidence within 15 days of receiving the complaint (Art. 67)
COURT_PERIOD = {  # the court's time to decide, tracked after the defence is filed (Arts. 81, 83, 88)
    ("first", "normal"): "6m",
    ("first", "simple"): "45d",
    ("second", "normal"): "3m",
    ("second", "simple"): "3m",
    ("retrial", "normal"): "6m",
    ("retrial", "simple"): "6m",
}
APPEAL_PERIOD = {"judgment": "15d", "ruling": "10d"}  # Art. 85

FOLLOW_UP_CASE_TYPE = "reconsideration_follow_up"
FOLLOW_UP_CASE_TYPE_SPEC = {
    "code": FOLLOW_UP_CASE_TYPE,
    "name": "行政复议意见书/建议书",
    "legal_basis": "《中华人民共和国行政复议法》第七十六条（复议意见书：自收到之日起60日内将纠正情况报送行政复议机关）；"
    "行政复议建议书的回复期限由地方规定（默认60日，待本地确认）",
    "period": "60d",
    "roll_forward": True,
    "warning_period": "5wd",
    "allowed_suspensions": [],
    "max_extension": "",
    "extension_approver_role": "supervisor",
    "number_prefix": "复意",
    "number_format": "{prefix}〔{year}〕{seq}号",
    "stages": [("correct", "纠正并报送", "", False), ("done", "已报送", "", True)],
}

# --- acceptance -------------------------------------------------------------------------------------

# Art. 30(1): the conditions of acceptance; a 不予受理 decision names the one not met.
REJECTION_GROUNDS = [
    ("no_party", "没有明确的申请人或者符合规定的被申请人（第三十条第一款第一项）"),
    ("no_interest", "申请人与被申请行政复议的行政行为没有利害关系（第三十条第一款第二项）"),
    ("no_claim", "没有具体的行政复议请求和理由（第三十条第一款第三项）"),
    ("out_of_time", "超过法定申请期限（第三十条第一款第四项、第二十条）"),
    ("out_of_scope", "不属于行政复议范围（第三十条第一款第五项、第十二条）"),
    ("not_competent", "不属于本机关管辖（第三十条第一款第六项）"),
    ("duplicate", "已就同一行政行为申请行政复议或者提起行政诉讼（第三十条第一款第七项）"),
]
NOT_COMPETENT = "not_competent"

# Art. 53: what may go by 简易程序.
SIMPLE_GROUNDS = [
    ("on_the_spot", "被申请行政复议的行政行为是当场作出（第五十三条第一款第一项）"),
    ("warning", "被申请行政复议的行政行为是警告或者通报批评（第五十三条第一款第二项）"),
    ("small_amount", "案件涉及款额三千元以下（第五十三条第一款第三项）"),
    ("information", "属于政府信息公开案件（第五十三条第一款第四项）"),
    ("agreed", "当事人各方同意适用简易程序（第五十三条第二款）"),
]

# Art. 39(1): grounds of 中止.
SUSPENSION_GROUNDS = [
    ("death", "作为申请人的公民死亡，其近亲属尚未确定是否参加行政复议（第三十九条第一款第一项）"),
    ("incapacity", "作为申请人的公民丧失参加行政复议的行为能力，尚未确定法定代理人（第一款第二项）"),
    ("missing", "作为申请人的公民下落不明（第一款第三项）"),
    ("organisation_ended", "作为申请人的法人或者其他组织终止，尚未确定权利义务承受人（第一款第四项）"),
    ("force_majeure", "申请人、被申请人因不可抗力或者其他正当理由，不能参加行政复议（第一款第五项）"),
    ("settlement", "依法进行调解、和解，申请人和被申请人同意中止（第一款第六项）"),
    ("interpretation", "涉及的法律适用问题需要有权机关作出解释或者确认（第一款第七项）"),
    ("other_case", "审理需要以其他案件的审理结果为依据，而其他案件尚未审结（第一款第八项）"),
    ("normative_review", "依法对规范性文件进行附带审查（第一款第九项）"),
    ("other", "需要中止行政复议的其他情形（第一款第十项）"),
]

# --- outcomes (Arts. 33, 41, 63–74) -----------------------------------------------------------------------

OUTCOME_ARTICLES = {
    "varied": "第六十三条",
    "annulled": "第六十四条",
    "partly_annulled": "第六十四条",
    "confirmed_unlawful": "第六十五条",
    "ordered_to_perform": "第六十六条",
    "confirmed_void": "第六十七条",
    "upheld": "第六十八条",
    "claim_rejected": "第六十九条",
    "application_rejected": "第三十三条",
    "mediated": "第七十三条",
    "settled": "第七十四条、第四十一条第一项",
    "withdrawn": "第四十一条第一项",
    "terminated": "第四十一条",
}

# The grounds a decision states; the article is part of the label so the document can quote it.
_NO_ANSWER = ("no_answer", "被申请人未按期提出书面答复、提交证据、依据和其他有关材料（第七十条）")
OUTCOME_GROUNDS: dict[str, list[tuple[str, str]]] = {
    "varied": [
        (
            "inappropriate",
            "事实清楚，证据确凿，适用依据正确，程序合法，但是内容不适当（第六十三条第一款第一项）",
        ),
        ("wrong_basis", "事实清楚，证据确凿，程序合法，但是未正确适用依据（第六十三条第一款第二项）"),
        ("facts_established", "事实不清、证据不足，经行政复议机关查清事实和证据（第六十三条第一款第三项）"),
    ],
    "annulled": [
        ("facts_unclear", "主要事实不清、证据不足（第六十四条第一款第一项）"),
        ("procedure", "违反法定程序（第六十四条第一款第二项）"),
        ("unlawful_basis", "适用的依据不合法（第六十四条第一款第三项）"),
        ("ultra_vires", "超越职权或者滥用职权（第六十四条第一款第四项）"),
        _NO_ANSWER,
    ],
    "confirmed_unlawful": [
        (
            "public_interest",
            "依法应予撤销，但是撤销会给国家利益、社会公共利益造成重大损害（第六十五条第一款第一项）",
        ),
        ("minor_procedure", "程序轻微违法，但是对申请人权利不产生实际影响（第六十五条第一款第二项）"),
        ("nothing_to_annul", "行政行为违法，但是不具有可撤销内容（第六十五条第二款第一项）"),
        ("already_changed", "被申请人改变原违法行政行为，申请人仍要求确认违法（第六十五条第二款第二项）"),
        (
            "performance_pointless",
            "被申请人不履行或者拖延履行法定职责，责令履行没有意义（第六十五条第二款第三项）",
        ),
        _NO_ANSWER,
    ],
    "ordered_to_perform": [
        ("duty_not_performed", "被申请人不履行法定职责（第六十六条）"),
        _NO_ANSWER,
    ],
    "confirmed_void": [
        ("no_authority", "实施主体不具有行政主体资格或者没有依据等重大且明显违法情形（第六十七条）"),
        _NO_ANSWER,
    ],
    "upheld": [
        ("lawful", "认定事实清楚，证据确凿，适用依据正确，程序合法，内容适当（第六十八条）"),
    ],
    "claim_rejected": [
        ("no_duty", "被申请人没有相应法定职责（第六十九条）"),
        ("already_performed", "被申请人在受理前已经履行法定职责（第六十九条）"),
    ],
    "application_rejected": [
        ("conditions_unmet", "受理后发现不符合本法规定的受理条件（第三十三条）"),
    ],
    "mediated": [("mediation_agreement", "当事人经调解达成协议，制作行政复议调解书（第七十三条）")],
    "settled": [("settlement", "当事人自愿达成和解，申请人撤回行政复议申请，准予撤回（第七十四条）")],
    "withdrawn": [("withdrawal", "申请人撤回行政复议申请，行政复议机构准予撤回（第四十一条第一项）")],
    "terminated": [
        ("death", "作为申请人的公民死亡，没有近亲属或者其近亲属放弃行政复议权利（第四十一条第二项）"),
        (
            "organisation_ended",
            "作为申请人的法人或者其他组织终止，没有权利义务承受人或者承受人放弃行政复议权利（第四十一条第三项）",
        ),
        ("criminal_measures", "因同一违法行为涉嫌犯罪，申请人被采取刑事强制措施（第四十一条第四项）"),
        ("suspension_lapsed", "中止行政复议满六十日，中止的原因仍未消除（第四十一条第五项）"),
    ],
}
OUTCOME_GROUNDS["partly_annulled"] = OUTCOME_GROUNDS["annulled"]
# 撤销 and 部分撤销 may order the respondent to make the act again (Art. 64).
REMAKE_OUTCOMES = frozenset({"annulled", "partly_annulled"})
# Outcomes that end the case without a decision on the act (no 决定书 but an 调解书/终止决定书).
DOCUMENT_TITLES = {
    "mediated": "行政复议调解书",
    "settled": "行政复议终止决定书",
    "withdrawn": "行政复议终止决定书",
    "terminated": "行政复议终止决定书",
    "application_rejected": "驳回行政复议申请决定书",
}
DEFAULT_DECISION_TITLE = "行政复议决定书"

# --- how outcomes count in the figures (defaults; edited in the admin) -------------------------------------
# 直接纠错 follows academic usage (变更/撤销/确认违法); the broad variant follows the 2024 white
# paper's "通过变更、撤销、确认违法等方式纠正" and adds 确认无效 and 责令履行 (DOMAIN.md §3).
DEFAULT_FIGURE_SETTINGS = {
    "direct_correction": ["varied", "annulled", "partly_annulled", "confirmed_unlawful"],
    "broad_correction": [
        "varied",
        "annulled",
        "partly_annulled",
        "confirmed_unlawful",
        "confirmed_void",
        "ordered_to_perform",
    ],
    "mediation_withdrawal": ["mediated", "settled", "withdrawn"],
    "upheld": ["upheld"],
    "rejected": ["claim_rejected", "application_rejected"],
    "correction_denominator": "concluded",
}

# --- litigation: judgment and ruling types (defaults; the win/loss mapping is edited in the admin) ---------
# (code, name, kind, article, result, order). result "inherit": an appeal court upholding the
# judgment below keeps that judgment's result.
JUDGMENT_TYPES = [
    ("dismiss_claim", "判决驳回原告诉讼请求", "judgment", "《行政诉讼法》第六十九条", "won"),
    ("annul", "判决撤销或者部分撤销", "judgment", "《行政诉讼法》第七十条", "lost"),
    ("annul_remake", "判决撤销并责令重新作出行政行为", "judgment", "《行政诉讼法》第七十条", "lost"),
    ("perform", "判决被告履行法定职责", "judgment", "《行政诉讼法》第七十二条", "lost"),
    ("pay", "判决被告履行给付义务", "judgment", "《行政诉讼法》第七十三条", "lost"),
    ("confirm_unlawful", "判决确认违法", "judgment", "《行政诉讼法》第七十四条", "lost"),
    ("confirm_void", "判决确认无效", "judgment", "《行政诉讼法》第七十五条", "lost"),
    ("compensation", "判决采取补救措施或者赔偿", "judgment", "《行政诉讼法》第七十六条", "lost"),
    ("vary", "判决变更", "judgment", "《行政诉讼法》第七十七条", "lost"),
    (
        "agreement",
        "判决继续履行、采取补救措施或者赔偿（行政协议）",
        "judgment",
        "《行政诉讼法》第七十八条",
        "lost",
    ),
    (
        "appeal_dismissed",
        "判决驳回上诉、维持原判",
        "judgment",
        "《行政诉讼法》第八十九条第一款第一项",
        "inherit",
    ),
    (
        "appeal_varied_won",
        "二审改判（支持行政机关）",
        "judgment",
        "《行政诉讼法》第八十九条第一款第二项",
        "won",
    ),
    (
        "appeal_varied_lost",
        "二审改判（行政机关败诉）",
        "judgment",
        "《行政诉讼法》第八十九条第一款第二项",
        "lost",
    ),
    (
        "ruling_dismiss_suit",
        "裁定驳回起诉",
        "ruling",
        "最高人民法院关于适用《行政诉讼法》的解释第六十九条",
        "won",
    ),
    ("ruling_withdrawn", "裁定准予撤诉", "ruling", "《行政诉讼法》第六十二条", "other"),
    (
        "ruling_withdrawn_after_change",
        "被告改变行政行为后裁定准予撤诉",
        "ruling",
        "《行政诉讼法》第六十二条",
        "other",
    ),
    ("ruling_remanded", "裁定发回重审", "ruling", "《行政诉讼法》第八十九条第一款第三项", "other"),
    (
        "ruling_terminated",
        "裁定终结诉讼",
        "ruling",
        "最高人民法院关于适用《行政诉讼法》的解释第八十八条",
        "other",
    ),
    ("mediation", "行政赔偿、补偿案件调解结案", "mediation", "《行政诉讼法》第六十条", "other"),
]

# --- documents --------------------------------------------------------------------------------------------
# Bodies are Django templates over the case; the clerk edits the rendered draft before issue.
# Numbers: {prefix} is the reconsideration body's document prefix (e.g. 明政复), then year and sequence.

DOCUMENT_TEMPLATES = [
    {
        "kind": "acceptance_notice",
        "title": "行政复议受理通知书",
        "number_format": "{prefix}受字〔{year}〕{seq}号",
        "body": """{{ applicant }}：
你（单位）不服{{ respondent }}{{ act }}，于{{ received|date:"Y年n月j日" }}向本机关提出的行政复议申请收悉。经审查，该申请符合《中华人民共和国行政复议法》第三十条规定的受理条件，本机关决定自{{ accepted|date:"Y年n月j日" }}起予以受理，适用{{ procedure }}审理。
本案将依法于受理之日起{{ decision_period }}内作出行政复议决定；情况复杂需要延长的，将书面告知。
特此通知。""",
    },
    {
        "kind": "correction_notice",
        "title": "行政复议申请补正通知书",
        "number_format": "{prefix}补字〔{year}〕{seq}号",
        "body": """{{ applicant }}：
你（单位）于{{ received|date:"Y年n月j日" }}提出的行政复议申请（被申请人：{{ respondent }}）材料不齐全或者表述不清楚。根据《中华人民共和国行政复议法》第三十一条的规定，请你（单位）自收到本通知之日起十个工作日内补正以下事项：
{{ items }}
无正当理由逾期不补正的，视为放弃行政复议申请。
特此通知。""",
    },
    {
        "kind": "answer_notice",
        "title": "行政复议答复通知书",
        "number_format": "{prefix}答字〔{year}〕{seq}号",
        "body": """{{ respondent }}：
{{ applicant }}不服你单位{{ act }}，向本机关申请行政复议，本机关已于{{ accepted|date:"Y年n月j日" }}依法受理。现将行政复议申请书副本发送你单位。根据《中华人民共和国行政复议法》第{{ answer_article }}条的规定，请你单位自收到本通知之日起{{ answer_period }}内，提出书面答复，并提交作出该行政行为的证据、依据和其他有关材料。
被申请人不按照规定提出书面答复、提交证据和依据的，视为该行政行为没有证据、依据。
特此通知。""",
    },
    {
        "kind": "rejection_decision",
        "title": "不予受理行政复议申请决定书",
        "number_format": "{prefix}不受字〔{year}〕{seq}号",
        "body": """申请人：{{ applicant }}
被申请人：{{ respondent }}
申请人不服被申请人{{ act }}，于{{ received|date:"Y年n月j日" }}向本机关申请行政复议。
经审查，本机关认为：该申请{{ rejection_ground }}。{{ rejection_reason }}
根据《中华人民共和国行政复议法》第三十条的规定，本机关决定不予受理。{% if competent_body %}
本案应向有管辖权的{{ competent_body }}申请行政复议。{% endif %}
申请人如不服本决定，可以自收到本决定书之日起十五日内，依法向人民法院提起行政诉讼。""",
    },
    {
        "kind": "decision",
        "title": "行政复议决定书",
        "number_format": "{prefix}决字〔{year}〕{seq}号",
        "body": """申请人：{{ applicant }}
被申请人：{{ respondent }}
申请人不服被申请人{{ act }}，于{{ received|date:"Y年n月j日" }}向本机关申请行政复议，本机关于{{ accepted|date:"Y年n月j日" }}依法受理{% if procedure %}，适用{{ procedure }}审理{% endif %}。本案现已审理终结。
申请人请求：{{ claims }}
本机关查明：{{ summary }}
本机关认为：{{ ground }}。
根据《中华人民共和国行政复议法》{{ article }}的规定，本机关决定：{{ outcome }}{% if remake %}，并责令被申请人在一定期限内重新作出行政行为{% endif %}。
{% if appealable %}申请人如不服本决定，可以自收到本决定书之日起十五日内，依法向人民法院提起行政诉讼。
{% endif %}本决定书一经送达，即发生法律效力。""",
    },
    {
        "kind": "follow_up",
        "title": "行政复议意见书",
        "number_format": "{prefix}意字〔{year}〕{seq}号",
        "body": """{{ addressee }}：
本机关在办理{{ applicant }}不服{{ respondent }}{{ act }}行政复议一案（{{ number }}）中发现：{{ content }}
根据《中华人民共和国行政复议法》第七十六条的规定，请你单位予以纠正，并自收到本意见书之日起六十日内将纠正相关违法或者不当行政行为的情况报送本机关。""",
    },
]


def load_defaults(apps) -> None:
    """Create what the installation starts with; never overwrite local edits."""
    case_type_model = apps.get_model("cases", "CaseType")
    stage_model = apps.get_model("cases", "CaseStage")
    spec = FOLLOW_UP_CASE_TYPE_SPEC
    fields = {k: v for k, v in spec.items() if k not in {"code", "stages"}}
    case_type, created = case_type_model.objects.get_or_create(code=spec["code"], defaults=fields)
    if created:
        stage_model.objects.bulk_create(
            stage_model(case_type=case_type, code=code, name=name, order=i, period=period, is_final=final)
            for i, (code, name, period, final) in enumerate(spec["stages"], start=1)
        )
    judgment_type = apps.get_model("legal", "JudgmentType")
    for order, (code, name, kind, article, result) in enumerate(JUDGMENT_TYPES, start=1):
        judgment_type.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "article": article, "result": result, "order": order},
        )
    template = apps.get_model("legal", "DocumentTemplate")
    for spec in DOCUMENT_TEMPLATES:
        template.objects.get_or_create(
            kind=spec["kind"],
            defaults={"title": spec["title"], "number_format": spec["number_format"], "body": spec["body"]},
        )
    settings_model = apps.get_model("legal", "FigureSettings")
    if not settings_model.objects.exists():
        settings_model.objects.create(**DEFAULT_FIGURE_SETTINGS)
