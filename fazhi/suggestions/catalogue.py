"""The kinds of 司法建议 and 检察建议 every installation starts with (DOMAIN.md §9, §14 rows 26–28).

Loaded once by a data migration and then edited by the jurisdiction in the admin; the loader
never overwrites a local edit. A blank period means the case type's (2 months). Where the source
gives no period the kind says so in `legal_basis` and is marked unconfirmed ("U").
"""

SUGGESTION_KINDS: list[dict] = [
    {
        "code": "comprehensive",
        "case_type": "judicial_suggestion",
        "name": "综合治理类司法建议",
        "period": "",
        "urgent_period": "",
        "confidence": "P",
        "legal_basis": "《最高人民法院关于综合治理类司法建议工作若干问题的规定》（法释〔2023〕11号）第八条："
        "回复期限由人民法院根据具体情况确定，一般不超过两个月；来文载明期限的，按来文。",
    },
    {
        "code": "normative",
        "case_type": "judicial_suggestion",
        "name": "规范性文件司法建议",
        "period": "60d",
        "urgent_period": "",
        "confidence": "P",
        "legal_basis": "《最高人民法院关于适用〈中华人民共和国行政诉讼法〉的解释》第一百四十九条："
        "规范性文件制定机关应当在收到司法建议之日起六十日内予以书面答复。",
    },
    {
        "code": "non_appearance",
        "case_type": "judicial_suggestion",
        "name": "负责人不出庭应诉司法建议",
        "period": "",
        "urgent_period": "",
        "confidence": "U",
        "legal_basis": "《行政诉讼法》第六十六条、《最高人民法院关于行政机关负责人出庭应诉若干问题的规定》第十二条："
        "有关机关根据有关规定处理，并将处理情况告知人民法院。法定回复期限未见规定，默认两个月，待本地确认。",
    },
    {
        "code": "judicial_other",
        "case_type": "judicial_suggestion",
        "name": "其他司法建议",
        "period": "",
        "urgent_period": "",
        "confidence": "U",
        "legal_basis": "按来文载明的期限；来文未载明的，默认两个月，待本地确认。",
    },
    {
        "code": "public_interest",
        "case_type": "procuratorial_suggestion",
        "name": "行政公益诉讼诉前检察建议",
        "period": "2m",
        "urgent_period": "15d",
        "confidence": "P",
        "legal_basis": "《最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释》第二十一条："
        "收到检察建议书之日起两个月内依法履职并书面回复；国家利益或者社会公共利益损害继续扩大等紧急情形的，十五日内书面回复。",
    },
    {
        "code": "social_governance",
        "case_type": "procuratorial_suggestion",
        "name": "社会治理检察建议",
        "period": "",
        "urgent_period": "",
        "confidence": "U",
        "legal_basis": "《人民检察院检察建议工作规定》（2019年）；通用的两个月回复期限未见原文，待本地确认。",
    },
    {
        "code": "procuratorial_other",
        "case_type": "procuratorial_suggestion",
        "name": "其他检察建议",
        "period": "",
        "urgent_period": "",
        "confidence": "U",
        "legal_basis": "按来文载明的期限；来文未载明的，默认两个月，待本地确认。",
    },
]


def load_suggestion_kinds(kind_model, case_type_model) -> int:
    """Create the kinds that do not exist yet; never overwrite local edits."""
    created = 0
    types = {
        ct.code: ct
        for ct in case_type_model.objects.filter(code__in={"judicial_suggestion", "procuratorial_suggestion"})
    }
    for order, spec in enumerate(SUGGESTION_KINDS, start=1):
        case_type = types.get(spec["case_type"])
        if case_type is None:  # a jurisdiction removed the type; nothing to attach the kind to
            continue
        fields = {k: v for k, v in spec.items() if k not in {"code", "case_type"}}
        _, was_created = kind_model.objects.get_or_create(
            code=spec["code"], defaults={**fields, "case_type": case_type, "sort_order": order}
        )
        created += was_created
    return created
