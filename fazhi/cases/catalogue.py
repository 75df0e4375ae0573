"""The case types every installation starts with, from the statutory table in DOMAIN.md §14.

They are data: the data migration loads them once and a jurisdiction edits them afterwards
(local 12345 limits, filing periods, number prefixes). Where the law leaves a period to local
rules or the source is unconfirmed, the value here is a documented default to adapt.
"""

from fazhi.org.models import Role

CASE_TYPES: list[dict] = [
    {
        "code": "hotline",
        "name": "12345热线诉求",
        "legal_basis": "国办发〔2020〕53号；国办函〔2025〕66号；办理时限由地方规定（如《济南市12345市民服务热线条例》5个工作日）",
        "period": "5wd",
        "roll_forward": True,
        "warning_period": "1wd",
        "allowed_suspensions": ["awaiting"],
        "max_extension": "5wd",
        "extension_approver_role": Role.OPERATOR,
        "number_prefix": "12345",
        "number_format": "{prefix}-{year}-{seq:06d}",
        "stages": [
            ("sign", "签收", "1wd", False),
            ("handle", "办理", "", False),
            ("reply", "答复", "", False),
            ("callback", "回访", "2wd", False),
            ("done", "办结", "", True),
        ],
    },
    {
        "code": "reconsideration",
        "name": "行政复议",
        "legal_basis": "《中华人民共和国行政复议法》（2023年修订）第三十条、第六十二条、第八十八条",
        "period": "60d",
        "roll_forward": True,
        "warning_period": "5wd",
        "allowed_suspensions": ["suspended", "correction", "appraisal"],
        "max_extension": "30d",
        "extension_approver_role": Role.SUPERVISOR,
        "number_prefix": "复",
        "number_format": "{prefix}〔{year}〕{seq}号",
        "stages": [
            ("review", "受理审查", "5wd", False),
            ("answer", "被申请人答复", "", False),
            ("hearing", "审理", "", False),
            ("decision", "决定", "", False),
            ("done", "结案", "", True),
        ],
    },
    {
        "code": "litigation",
        "name": "行政应诉",
        "legal_basis": "《中华人民共和国行政诉讼法》第六十七条（收到起诉状副本之日起15日内提交答辩状和证据）",
        "period": "15d",
        "roll_forward": True,
        "warning_period": "3wd",
        "allowed_suspensions": ["suspended"],
        "max_extension": "",
        "extension_approver_role": Role.SUPERVISOR,
        "number_prefix": "应诉",
        "number_format": "{prefix}-{year}-{seq:04d}",
        "stages": [
            ("defence", "答辩举证", "15d", False),
            ("trial", "庭审", "", False),
            ("judgment", "裁判", "", False),
            ("done", "结案", "", True),
        ],
    },
    {
        "code": "judicial_suggestion",
        "name": "司法建议",
        "legal_basis": "最高人民法院关于综合治理类司法建议工作若干问题的规定（法释〔2023〕11号）第八条；规范性文件类60日（行诉解释第一百四十九条）",
        "period": "2m",
        "roll_forward": True,
        "warning_period": "5wd",
        "allowed_suspensions": [],
        "max_extension": "",
        "extension_approver_role": Role.SUPERVISOR,
        "number_prefix": "司建",
        "number_format": "{prefix}-{year}-{seq:04d}",
        "stages": [("reply", "研究答复", "", False), ("done", "已回复", "", True)],
    },
    {
        "code": "procuratorial_suggestion",
        "name": "检察建议",
        "legal_basis": "最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释第二十一条（两个月；紧急情形十五日）",
        "period": "2m",
        "roll_forward": True,
        "warning_period": "5wd",
        "allowed_suspensions": [],
        "max_extension": "",
        "extension_approver_role": Role.SUPERVISOR,
        "number_prefix": "检建",
        "number_format": "{prefix}-{year}-{seq:04d}",
        "stages": [("reply", "研究答复", "", False), ("done", "已回复", "", True)],
    },
    {
        "code": "deputy_suggestion",
        "name": "人大代表建议",
        "legal_basis": "《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》第五十一条（三个月；情况复杂的六个月）",
        "period": "3m",
        "roll_forward": True,
        "warning_period": "10wd",
        "allowed_suspensions": [],
        "max_extension": "3m",
        "extension_approver_role": Role.SUPERVISOR,
        "number_prefix": "建议",
        "number_format": "{prefix}〔{year}〕{seq}号",
        "stages": [("handle", "办理", "", False), ("answer", "答复", "", False), ("done", "办结", "", True)],
    },
    {
        "code": "cppcc_proposal",
        "name": "政协提案",
        "legal_basis": "地方人民政府办理人大代表建议和政协提案办法（一般三个月，最长不超过六个月）",
        "period": "3m",
        "roll_forward": True,
        "warning_period": "10wd",
        "allowed_suspensions": [],
        "max_extension": "3m",
        "extension_approver_role": Role.SUPERVISOR,
        "number_prefix": "提案",
        "number_format": "{prefix}〔{year}〕{seq}号",
        "stages": [("handle", "办理", "", False), ("answer", "答复", "", False), ("done", "办结", "", True)],
    },
    {
        "code": "mediation",
        "name": "人民调解",
        "legal_basis": "《中华人民共和国人民调解法》；调解期限由地方规定（默认30日，待本地确认）",
        "period": "30d",
        "roll_forward": True,
        "warning_period": "3wd",
        "allowed_suspensions": ["awaiting"],
        "max_extension": "15d",
        "extension_approver_role": Role.UNIT_LEADER,
        "number_prefix": "调",
        "number_format": "{prefix}-{year}-{seq:05d}",
        "stages": [("mediate", "调解", "", False), ("done", "结案", "", True)],
    },
    {
        "code": "petition",
        "name": "信访事项",
        "legal_basis": "《信访工作条例》第三十二条（60日内办结，经批准可延长不超过30日）",
        "period": "60d",
        "roll_forward": True,
        "warning_period": "5wd",
        "allowed_suspensions": [],
        "max_extension": "30d",
        "extension_approver_role": Role.UNIT_LEADER,
        "number_prefix": "信",
        "number_format": "{prefix}-{year}-{seq:05d}",
        "stages": [
            ("accept", "受理告知", "15d", False),
            ("handle", "办理", "", False),
            ("done", "办结", "", True),
        ],
    },
    {
        "code": "normative_filing",
        "name": "规范性文件备案",
        "legal_basis": "行政规范性文件备案期限由地方规定（默认自公布之日起30日内报送备案，待本地确认）",
        "period": "30d",
        "roll_forward": True,
        "warning_period": "5wd",
        "allowed_suspensions": ["correction"],
        "max_extension": "",
        "extension_approver_role": Role.SUPERVISOR,
        "number_prefix": "备",
        "number_format": "{prefix}〔{year}〕{seq}号",
        "stages": [("review", "备案审查", "", False), ("done", "备案完成", "", True)],
    },
    {
        "code": "rectification",
        "name": "整改任务",
        "legal_basis": "督办、考核扣分、差评等形成的整改任务；期限由发起人设定（默认15个工作日）",
        "period": "15wd",
        "roll_forward": True,
        "warning_period": "3wd",
        "allowed_suspensions": [],
        "max_extension": "15wd",
        "extension_approver_role": Role.SUPERVISOR,
        "number_prefix": "整改",
        "number_format": "{prefix}-{year}-{seq:05d}",
        "stages": [("rectify", "整改", "", False), ("verify", "核查", "", False), ("done", "销号", "", True)],
    },
]


def load_case_types(case_type_model, stage_model) -> int:
    """Create the catalogue's case types that do not exist yet; never overwrite local edits."""
    created = 0
    for spec in CASE_TYPES:
        fields = {k: v for k, v in spec.items() if k not in {"code", "stages"}}
        case_type, was_created = case_type_model.objects.get_or_create(code=spec["code"], defaults=fields)
        if not was_created:
            continue
        created += 1
        stage_model.objects.bulk_create(
            stage_model(case_type=case_type, code=code, name=name, order=i, period=period, is_final=final)
            for i, (code, name, period, final) in enumerate(spec["stages"], start=1)
        )
    return created
