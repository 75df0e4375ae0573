"""Who may use report review, and who may write, submit and publish annual reports."""

from fazhi.org.models import ADMIN_ROLES, Role, Unit, User
from fazhi.org.permissions import has_role, memberships_of, unit_scope
from fazhi.reports.models import AnnualReport


def can_review_reports(user: User) -> bool:
    """Any staff member with an active membership in a working role. The three administrators
    (三员: system, security, audit) keep to their separate duties and do not review reports."""
    return any(m.role not in ADMIN_ROLES for m in memberships_of(user))


# Annual reports. A unit's handlers and leaders write their unit's report; the 法治办 (法治督察,
# SUPERVISOR) sees every report in its scope, writes the government's and publishes.
WRITER_ROLES = frozenset({Role.HANDLER, Role.UNIT_LEADER})
READER_ROLES = frozenset({Role.SUPERVISOR, Role.HANDLER, Role.UNIT_LEADER, Role.LEADER})


def can_view_annual_report(user: User, report: AnnualReport) -> bool:
    return unit_scope(user, READER_ROLES).contains(report.unit)


def can_edit_annual_report(user: User, report: AnnualReport) -> bool:
    if report.status != AnnualReport.Status.DRAFT:
        return False
    if unit_scope(user, WRITER_ROLES).contains(report.unit):
        return True
    return report.level == AnnualReport.Level.GOVERNMENT and unit_scope(user, {Role.SUPERVISOR}).contains(
        report.unit
    )


def can_submit_annual_report(user: User, report: AnnualReport) -> bool:
    """报送 closes the report's deadline case, which only the unit's own staff may close."""
    return report.status == AnnualReport.Status.DRAFT and unit_scope(user, WRITER_ROLES).contains(report.unit)


def can_create_annual_report(user: User, unit: Unit) -> bool:
    return unit_scope(user, WRITER_ROLES | {Role.SUPERVISOR}).contains(unit)


def can_publish_annual_report(user: User, report: AnnualReport) -> bool:
    return unit_scope(user, {Role.SUPERVISOR}).contains(report.unit)


def can_list_late_reports(user: User) -> bool:
    return has_role(user, Role.SUPERVISOR, Role.LEADER)
