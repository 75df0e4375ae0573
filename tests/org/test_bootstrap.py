import pytest
from django.core.management import CommandError, call_command

from fazhi.org.models import Membership, Role, Unit, User

pytestmark = pytest.mark.django_db

ARGS = ["--region-code", "370100", "--region-name", "济南市", "--name", "济南市人民政府"]


def test_bootstrap_opens_the_three_separate_admin_accounts(capsys):
    call_command("bootstrap", *ARGS)

    out = capsys.readouterr().out
    assert "济南市人民政府" in out
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {
        "sysadmin": Role.SYSTEM_ADMIN,
        "secadmin": Role.SECURITY_ADMIN,
        "auditadmin": Role.AUDIT_ADMIN,
    }
    password = next(line.split()[-1] for line in out.splitlines() if "sysadmin" in line)
    sysadmin = User.objects.get(username="sysadmin")
    assert sysadmin.check_password(password)
    assert sysadmin.password_changed_at is None  # must change it at first login


def test_bootstrap_refuses_a_database_that_already_has_units():
    call_command("bootstrap", *ARGS)
    with pytest.raises(CommandError):
        call_command("bootstrap", *ARGS)
    assert Unit.objects.count() == 1
