"""The demo city, as someone trying Fazhi out would meet it."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import identify_hasher
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from fazhi.assessment import demo as assessment_demo
from fazhi.cases.models import Case, CaseType, Notice
from fazhi.cases.selectors import cases_on_workbench, clock_of, notices_for, supervisions_received
from fazhi.core.audit import verify_chain
from fazhi.core.deadlines import ClockState
from fazhi.core.models import AuditEvent
from fazhi.demo import data
from fazhi.demo.city import DemoCityExists, build_city, city_digest, credit_code, organisation_code
from fazhi.hotline.models import Ticket
from fazhi.legal import demo as legal_demo
from fazhi.legal.models import Attendance, Lawsuit, LegalDocument, Reconsideration
from fazhi.mediation import demo as mediation_demo
from fazhi.org.models import BoundaryItem, Membership, Region, ResponsibilityItem, Role, Unit, User
from fazhi.org.permissions import roles_of
from fazhi.org.validators import credit_code_problem, region_code_problem
from fazhi.portal import demo as portal_demo
from fazhi.reports import demo as reports_demo
from fazhi.suggestions import demo as suggestions_demo

REPO = Path(__file__).resolve().parents[2]

HISTORY = 300  # past 12345 requests; the default year (tests/hotline/test_history.py) is slow to build twice

# What 明湖市 holds at scale 1 whatever the day; the case clocks depend on today and are not here.
EXPECTED_COUNTS = {
    "regions": 166,
    "communities": 120,
    "units": 83,
    "units_merged": 2,
    "users": 177 + 1,  # + the portal's intake account
    "memberships": 177 + 1,
    "responsibility_items": 397,
    "boundary_items": 12,
    "cases": 60
    + HISTORY
    + suggestions_demo.CASES
    + mediation_demo.CASES
    + legal_demo.CASES
    + assessment_demo.CASES
    + len(portal_demo.REQUESTS)
    + 1  # the government's annual report (a case with its 1 April deadline) …
    + len(reports_demo.DEPARTMENTS),  # … and the departments' (1 March)
}


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    """明湖市 built twice from the same seed (the first build rolled back), kept for the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        savepoint = transaction.savepoint()
        first_digest = build_city(progress=False, hotline_history=HISTORY).digest
        transaction.savepoint_rollback(savepoint)
        summary = build_city(progress=False, hotline_history=HISTORY)
        yield summary, first_digest
        transaction.set_rollback(True)


@pytest.fixture
def summary(city, db):
    return city[0]


def test_the_same_seed_builds_the_same_city(city, db):
    summary, first_digest = city

    assert summary.digest == first_digest == city_digest()


def test_the_city_holds_the_registers_of_a_prefecture_level_city(summary):
    counts = {key: summary.counts[key] for key in EXPECTED_COUNTS}
    # Every request is registered; one answered without dispatch (a matter for the courts, say)
    # or merged into an open request about the same thing (并单) opens no case of its own.
    assert Ticket.objects.filter(created_by__username=portal_demo.PORTAL_ACCOUNT).count() == len(
        portal_demo.REQUESTS
    )
    counts["cases"] += Ticket.objects.filter(case__isnull=True).count()

    assert counts == EXPECTED_COUNTS
    assert summary.counts["cases_overdue"] > 0
    assert summary.counts["cases_closed"] > 0
    assert summary.counts["supervisions"] > 0


def test_every_role_has_a_login_that_authenticates(summary, settings):
    # The suite hashes with MD5 for speed; the demo's accounts carry Argon2 hashes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]

    shown = {login.role for login in summary.logins}

    assert shown == set(Role.values)
    for login in summary.logins:
        user = authenticate(username=login.username, password=data.DEMO_PASSWORD)
        assert user is not None, login.username
        assert login.role in roles_of(user)
        assert user.password_changed_at is not None  # no forced change at first sign-in
    # The light build-time hash was replaced by the configured one at sign-in.
    stored = User.objects.get(username=summary.logins[0].username).password
    assert not identify_hasher(stored).must_update(stored)


def test_the_three_administrators_hold_no_other_role(summary):
    for username, role, _post in data.ADMINS:
        assert roles_of(User.objects.get(username=username)) == {role}


def test_supervisors_operators_and_the_cockpit_leader_see_the_whole_city(summary):
    for role in (Role.SUPERVISOR, Role.OPERATOR, Role.LEADER):
        memberships = Membership.objects.filter(role=role, is_active=True)
        assert memberships.exists()
        assert all(m.scope == Membership.Scope.ALL for m in memberships)


def test_every_active_unit_has_a_handler_and_a_leader(summary):
    for unit in Unit.objects.filter(status=Unit.Status.ACTIVE):
        roles = set(Membership.objects.filter(unit=unit, is_active=True).values_list("role", flat=True))
        assert {Role.HANDLER, Role.UNIT_LEADER} <= roles, unit.name


def test_every_unit_has_a_valid_credit_code(summary):
    codes = list(Unit.objects.values_list("name", "credit_code"))

    assert [
        (name, credit_code_problem(code)) for name, code in codes if credit_code_problem(code or "")
    ] == []
    assert len({code for _name, code in codes}) == len(codes)


def test_credit_codes_carry_the_registering_region_and_organisation_code():
    code = credit_code("11", "379902", 7)

    assert code.startswith("11379902")
    assert organisation_code(code[8:16]) == code[8:17]
    assert credit_code_problem(code) is None


def test_region_codes_are_hierarchical(summary):
    levels = {level: Region.objects.filter(level=level).count() for level in Region.Level.values}

    assert levels == {1: 1, 2: 1, 3: 4, 4: 40, 5: 120}
    for region in Region.objects.select_related("parent").exclude(level=Region.Level.PROVINCE):
        assert region.parent.level == region.level - 1, region.name
        assert region_code_problem(region.code, region.level, region.parent.code, region.parent.level) is None
    assert Unit.objects.get(name=data.CITY_GOVERNMENT).region.code == data.CITY[0]


def test_the_merged_units_name_their_successor_and_hand_over_their_duties(summary):
    merged = Unit.objects.filter(status=Unit.Status.MERGED).select_related("successor")

    assert {u.name: u.successor.name for u in merged} == {
        "明湖市人民政府法制办公室": "明湖市司法局",
        "明湖市城乡规划局": "明湖市自然资源和规划局",
    }
    for unit in merged:
        assert unit.successor.is_active
        assert "机构改革" in unit.status_note
        assert not ResponsibilityItem.objects.filter(unit=unit, is_active=True).exists()
        assert not Membership.objects.filter(unit=unit, is_active=True).exists()
    assert ResponsibilityItem.objects.filter(unit__name="明湖市司法局", name="行政复议").exists()


def test_boundary_items_name_a_lead_and_co_units(summary):
    for item in BoundaryItem.objects.filter(is_active=True).prefetch_related("co_units"):
        co = set(item.co_units.all())
        assert co and item.lead_unit not in co, item.name
        assert item.keywords and item.settled_by
    noise = BoundaryItem.objects.get(name="夜间建筑施工噪声扰民")
    assert noise.lead_unit.name == "明湖市城市管理局"
    assert {u.name for u in noise.co_units.all()} == {"明湖市住房和城乡建设局", "明湖市生态环境局"}


def test_every_department_lists_its_powers_with_a_legal_basis(summary):
    items = ResponsibilityItem.objects.filter(is_active=True)

    assert all("《" in item.legal_basis for item in items)  # every power cites a named law or document
    assert items.get(name="食品经营许可").legal_basis == "《中华人民共和国食品安全法》第三十五条"
    assert items.filter(unit__kind=Unit.Kind.TOWNSHIP, name="农村村民宅基地审批").count() == 18


def test_the_handlers_workbench_shows_overdue_and_due_soon_cases(summary):
    handler = User.objects.get(username=dict(data.SHOWCASE_LOGINS)[Role.HANDLER])

    states = {clock_of(case).state for case in cases_on_workbench(handler)}

    assert {ClockState.OVERDUE, ClockState.DUE_SOON, ClockState.NORMAL, ClockState.SUSPENDED} <= states
    assert supervisions_received(handler).exists()
    assert notices_for(handler).filter(kind=Notice.Kind.OVERDUE).exists()


def test_cases_of_every_type_are_open_somewhere(summary):
    assert set(Case.objects.values_list("case_type__code", flat=True)) == set(
        CaseType.objects.values_list("code", flat=True)
    )
    assert Case.objects.filter(extended=True).exists()
    assert Case.objects.filter(suspensions__isnull=False).exists()


def test_case_numbers_follow_the_order_cases_arrived(summary):
    # Cases opened one by one, and the history loaded afterwards in bulk, each in arrival order.
    hotline = Case.objects.filter(case_type__code="hotline")
    for cases in (hotline.filter(ticket__isnull=True), hotline.filter(ticket__isnull=False)):
        numbered = list(cases.order_by("number"))

        assert numbered
        assert [c.received_at for c in numbered] == sorted(c.received_at for c in numbered)


def test_every_write_went_through_the_audited_services(summary):
    checked, problems = verify_chain()

    assert problems == []
    assert checked == AuditEvent.objects.count()
    assert AuditEvent.objects.filter(action="org.unit_created").count() == Unit.objects.count()
    # History is loaded in bulk: one audit record per batch, naming how many cases it opened.
    loaded = sum(e.after["cases"] for e in AuditEvent.objects.filter(action="hotline.history_loaded"))
    assert AuditEvent.objects.filter(action="cases.opened").count() + loaded == Case.objects.count()


def test_a_second_build_on_the_same_database_is_refused(summary):
    with pytest.raises(DemoCityExists, match="空数据库"):
        build_city(progress=False)


# --- the commands ---------------------------------------------------------------------------------


def _fazhi(*args: str, var_dir: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    environment.update(FAZHI_VAR_DIR=str(var_dir), **env)
    return subprocess.run(
        [sys.executable, "-m", "fazhi.cli", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_fazhi_demo_builds_a_fresh_database_each_time_and_prints_the_logins(tmp_path):
    first = _fazhi("demo", "--no-serve", "--history", "200", var_dir=tmp_path)
    second = _fazhi("demo", "--no-serve", "--history", "200", var_dir=tmp_path)

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    for _role, username in data.SHOWCASE_LOGINS:
        assert username in second.stdout
    assert data.DEMO_PASSWORD in second.stdout
    assert "Authorization: Bearer fz_" in second.stdout
    assert "api_key=o311_" in second.stdout
    assert "83 个单位" in second.stdout
    assert (tmp_path / "fazhi.sqlite3").exists()
    assert (tmp_path / "static" / "admin").is_dir()  # collected for whitenoise


def test_fazhi_demo_leaves_a_database_outside_the_data_directory_alone(tmp_path):
    elsewhere = tmp_path / "elsewhere.sqlite3"
    elsewhere.write_bytes(b"keep me")

    result = _fazhi("demo", "--no-serve", var_dir=tmp_path / "var", DATABASE_URL=f"sqlite:///{elsewhere}")

    assert result.returncode == 1
    assert "不会重建" in result.stderr
    assert elsewhere.read_bytes() == b"keep me"


def test_fazhi_serve_starts_waitress_on_the_given_port(monkeypatch):
    import waitress

    calls = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: calls.append((app, kw)))
    out = io.StringIO()

    call_command("serve", port=8123, threads=4, stdout=out)

    assert calls and calls[0][1] == {"host": "127.0.0.1", "port": 8123, "threads": 4, "ident": "fazhi"}
    assert "http://127.0.0.1:8123/" in out.getvalue()


def test_fazhi_serve_refuses_an_impossible_port():
    with pytest.raises(CommandError, match="端口"):
        call_command("serve", port=70000)


def test_the_courts_deputies_and_committees_casework_is_there_and_supervised(summary):
    from fazhi.mediation.models import Committee, Dispute
    from fazhi.suggestions.models import JudicialSuggestion, Proposal, ProposalAnswer

    suggestions = JudicialSuggestion.objects.select_related("case")
    assert suggestions.count() == suggestions_demo.YEARS * 10
    assert {s.case.case_type.code for s in suggestions} == {"judicial_suggestion", "procuratorial_suggestion"}
    overdue = [
        s for s in suggestions if s.case.status == Case.Status.OPEN and s.case.due_date < summary_day()
    ]
    # No suggestion goes unanswered past its deadline without the supervisor seeing it.
    assert overdue and all(s.case.supervisions.exists() for s in overdue)
    assert Proposal.objects.count() == suggestions_demo.YEARS * 2 * suggestions_demo.PROPOSALS_PER_SESSION
    assert ProposalAnswer.objects.filter(disclosed_at__isnull=False).exists()
    assert Committee.objects.count() == 40 + 120 + 2
    assert Dispute.objects.filter(outcome="success", confirmation_deadline__isnull=False).exists()


def summary_day():
    from django.utils import timezone

    return timezone.localdate()


def test_the_legal_desk_has_years_of_consistent_casework(summary):
    recs = Reconsideration.objects.select_related("case")
    assert recs.count() == sum(legal_demo.RECONSIDERATIONS_PER_YEAR)
    assert {"upheld", "annulled", "mediated"} <= set(recs.values_list("outcome", flat=True))
    assert recs.filter(acceptance="rejected").exists() and recs.filter(acceptance="deemed").exists()
    for rec in recs.exclude(outcome=""):
        # the case closed on the day of the decision, which came after acceptance
        assert timezone.localdate(rec.case.closed_at) == rec.decided_on
        assert rec.accepted_on <= rec.decided_on
    assert Lawsuit.objects.filter(instance="second", appeal_of__isnull=False).exists()
    assert Lawsuit.objects.filter(reconsideration__isnull=False).exists()
    assert Attendance.objects.filter(attendees__capacity="chief").exists()
    assert LegalDocument.objects.filter(status="issued", attachment__isnull=False).exists()
