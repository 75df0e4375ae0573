"""The demo city's annual reports for last year: the 明湖市人民政府 report (prefilled from the
registry, written, submitted and published), 市司法局 (published), 市城管局 (submitted, not yet
public) and 市市场监管局 (still a draft, so the late list has someone on it).

Built through the services, like everything in the demo; the figures are whatever the demo's
casework gives, so the sentences are true of the city that was just built.
"""

from fazhi.reports import services
from fazhi.reports.models import FigureSentence

GOVERNMENT_TEXT = {
    "thought": (
        "市政府坚持把学习贯彻习近平法治思想作为首要政治任务，将其纳入市政府党组理论学习中心组学习重点内容，"
        "制定年度学法计划，市政府常务会议会前学法实现常态化。",
        "组织全市各级领导干部和行政执法人员开展习近平法治思想专题培训，推动法治思维和法治方式融入政府工作各方面、全过程。",
    ),
    "functions": (
        "深化“放管服”改革，全面落实权责清单制度，按照机构改革后的职责分工动态调整市级部门权责事项，"
        "明确共管事项和边界事项的牵头部门与配合部门。",
        "持续优化营商环境，推进政务服务“一网通办”“一窗受理”，12345政务服务便民热线作为倾听群众呼声的主渠道，"
        "实行“接诉即办”，对不按时签收、办理的工单逐件督办。",
    ),
    "rules": (
        "严格执行行政规范性文件制定程序，落实合法性审核和备案审查制度，做到有件必备、有备必审、有错必纠；"
        "开展规范性文件集中清理，对与上位法不一致、不适应改革要求的文件及时修改或废止。",
    ),
    "decisions": (
        "严格落实《重大行政决策程序暂行条例》，编制并公布年度重大行政决策事项目录，"
        "重大行政决策均履行公众参与、专家论证、风险评估、合法性审查和集体讨论决定程序。",
        "市政府法律顾问全程参与政府常务会议议题的合法性审查，出具法律审查意见，为依法决策把关。",
    ),
    "enforcement": (
        "全面推行行政执法公示、执法全过程记录和重大执法决定法制审核三项制度，"
        "推进跨部门综合执法和“双随机、一公开”监管，推行包容审慎监管和轻微违法不予处罚清单。",
    ),
    "disputes": (
        "坚持和发展新时代“枫桥经验”，健全人民调解、行政调解、司法调解联动工作体系，"
        "推动矛盾纠纷源头预防、前端化解。",
        "全面贯彻新修订的行政复议法，发挥行政复议化解行政争议的主渠道作用，复议申请在基层受理点即可提交，"
        "对审理中发现的共性问题及时制发行政复议意见书。",
    ),
    "oversight": (
        "自觉接受人大法律监督、政协民主监督和司法监督，认真办理人大代表建议和政协提案，"
        "落实行政机关负责人出庭应诉制度，及时回复司法建议和检察建议。",
    ),
    "digital": (
        "依托法治政府建设管理平台，将12345热线工单、行政复议和行政应诉案件、司法建议、代表建议和政协提案纳入统一办理，"
        "期限自动计算、临期自动提醒、超期自动督办，各项指标可追溯到每一条记录。",
    ),
    "leadership": (
        "市政府常务会议定期听取法治政府建设工作汇报，研究解决重点难点问题；"
        "将法治政府建设纳入全市高质量发展综合绩效考核，对工作推进不力的单位进行督办。",
    ),
}
GOVERNMENT_PARTS = {
    2: (
        "一是法治政府建设推进不够平衡。个别部门和乡镇（街道）对法治政府建设重视不够，主要负责人亲自部署、亲自协调的作用发挥不充分。",
        "二是行政执法规范化水平有待提高。基层执法力量相对薄弱，部分执法人员法律素养和执法能力与新形势新要求还有差距，"
        "执法程序不规范、文书制作不严谨的问题仍有发生。",
        "三是矛盾纠纷化解合力有待增强。行政复议纠错、行政诉讼败诉反映出的共性问题整改还不够彻底，源头治理仍需加强。",
        "产生上述问题的原因，主要是法治教育培训的针对性不强，考核评价对基层的传导不够，督促整改的机制还不够健全。",
    ),
    3: (
        "市政府主要负责同志认真履行推进法治建设第一责任人职责，对法治政府建设重要工作亲自部署、重大问题亲自过问、"
        "重点环节亲自协调、重要任务亲自督办。",
        "带头尊法学法守法用法，主持市政府常务会议会前学法，带头出庭应诉，在年终述职中专题述法；"
        "将履行推进法治建设第一责任人职责情况列入对各部门主要负责人的年终述法内容。",
    ),
    4: (
        "一是深入学习贯彻习近平法治思想，健全领导干部学法用法制度，推动党政主要负责人履行第一责任人职责落到实处。",
        "二是持续深化“放管服”改革，动态调整权责清单，提升12345热线诉求办理质效。",
        "三是全面推进严格规范公正文明执法，开展行政执法案卷评查，提升基层执法能力。",
        "四是发挥行政复议主渠道作用，降低行政诉讼败诉率，提高行政机关负责人出庭应诉质量。",
        "五是加快建设数字法治政府，完善法治政府建设管理平台，让每一项数据都能追溯到记录。",
    ),
    5: ("本年度无其他需要报告的情况。",),
}
DEPARTMENT_TEXT = {
    "leadership": (
        "局党组把法治政府建设列入年度重点工作，主要负责同志担任法治建设领导小组组长，定期听取汇报、研究解决问题。",
    ),
    "enforcement": (
        "全面落实行政执法“三项制度”，行政执法事项全部在平台办理，执法全过程记录，重大执法决定一律经法制审核。",
    ),
}
DEPARTMENT_PARTS = {
    2: ("执法人员业务能力参差不齐，执法文书说理还不够充分；原因在于教育培训覆盖面和针对性不足。",),
    3: ("主要负责同志认真履行推进法治建设第一责任人职责，带头学法用法，在年终述职中专题述法。",),
    4: ("下一年度将继续深入学习贯彻习近平法治思想，持续规范行政执法行为，提升依法行政水平。",),
    5: ("本年度无其他需要报告的情况。",),
}
DEPARTMENTS = (("sfj", "publish"), ("cgj", "submit"), ("scj", "draft"))


def _write(actor, report, part_one: dict, parts: dict) -> None:
    for section in report.sections.all():
        lines = part_one.get(section.heading_key, ()) if section.part == 1 else parts.get(section.part, ())
        if lines:
            services.report_section_update(actor=actor, section=section, narrative="\n".join(lines))


def build(city) -> None:
    year = city.today.year - 1
    fazhiban = city.users["fazhiban"]

    report = services.annual_report_create(
        actor=fazhiban, unit=city.units["szf"], year=year, today=city.today
    )
    services.annual_report_prefill(actor=fazhiban, report=report)
    _write(fazhiban, report, GOVERNMENT_TEXT, GOVERNMENT_PARTS)
    disputes = FigureSentence.objects.filter(section__report=report, template="reconsideration").first()
    if disputes is not None:
        services.report_section_update(
            actor=fazhiban,
            section=disputes.section,
            narrative=disputes.section.narrative,
            around={disputes.pk: ("在行政复议方面，", "")},
        )
    services.annual_report_submit(actor=city.handlers["szf"], report=report)
    services.annual_report_publish(actor=fazhiban, report=report)

    for key, stage in DEPARTMENTS:
        writer = city.handlers[key]
        report = services.annual_report_create(
            actor=writer, unit=city.units[key], year=year, today=city.today
        )
        services.annual_report_prefill(actor=writer, report=report)
        if stage == "draft":
            continue
        _write(writer, report, DEPARTMENT_TEXT, DEPARTMENT_PARTS)
        services.annual_report_submit(actor=writer, report=report)
        if stage == "publish":
            services.annual_report_publish(actor=fazhiban, report=report)
