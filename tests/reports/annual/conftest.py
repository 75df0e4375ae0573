"""Fixtures for the annual report tests: the 明湖市 government, two departments, the 法治办 and a
year (2024) of 行政复议 casework, so that the report's figures have records behind them."""

import pytest

from fazhi.legal.models import Outcome
from fazhi.org.models import Role
from fazhi.reports import services
from tests.legal import conftest as legal
from tests.legal.factories import apply, decided
from tests.org.factories import user_with_role

YEAR = 2024

# the 明湖市 government, 市司法局 as 行政复议机构, 市城管局 and 市市场监管局, from the legal tests
city, government, justice, body, urban, market, clerk = (
    legal.city,
    legal.government,
    legal.justice,
    legal.body,
    legal.urban,
    legal.market,
    legal.clerk,
)


@pytest.fixture
def gov_writer(government):
    """The government's own office (市政府办公室) staff: they sign off and submit its report."""
    return user_with_role(Role.HANDLER, government)


@pytest.fixture
def urban_writer(urban):
    return user_with_role(Role.HANDLER, urban)


@pytest.fixture
def market_writer(market):
    return user_with_role(Role.HANDLER, market)


@pytest.fixture
def fazhiban(justice):
    """依法治市办: a supervisor over every unit."""
    return user_with_role(Role.SUPERVISOR, justice, scope="all")


@pytest.fixture
def casework(clerk, body, urban, market):
    """Five applications in 2024 against two departments: four decided (one annulled), one pending."""
    decided(clerk, body, urban, Outcome.ANNULLED, "procedure")
    decided(clerk, body, urban, Outcome.UPHELD, "lawful")
    decided(clerk, body, urban, Outcome.MEDIATED, "mediation_agreement")
    decided(clerk, body, market, Outcome.UPHELD, "lawful")
    apply(clerk, body, market)


@pytest.fixture
def gov_report(fazhiban, government, casework):
    return services.annual_report_create(actor=fazhiban, unit=government, year=YEAR)


@pytest.fixture
def urban_report(urban_writer, urban, casework):
    return services.annual_report_create(actor=urban_writer, unit=urban, year=YEAR)


def write_every_part(actor, report) -> None:
    """Staff write a paragraph in each of the five parts."""
    texts = {
        1: "全年坚持把法治政府建设作为全局性、基础性工作，主要负责同志亲自部署、亲自推动。",
        2: "对照法治政府建设实施纲要，仍存在基层执法力量不足、执法人员法律素养参差不齐等问题，原因在于培训覆盖面不够。",
        3: "主要负责人认真履行推进法治建设第一责任人职责，全年专题听取法治政府建设工作汇报4次。",
        4: "下一年度将深入学习贯彻习近平法治思想，持续推进严格规范公正文明执法。",
        5: "无其他需要报告的情况。",
    }
    for section in report.sections.all():
        if section.part == 1 and section.heading_key != "leadership":
            continue
        services.report_section_update(actor=actor, section=section, narrative=texts[section.part])
