import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fazhi.org import xlsx
from fazhi.org.models import Role, Unit
from tests.org.factories import (
    BoundaryItemFactory,
    MembershipFactory,
    ResponsibilityItemFactory,
    UnitFactory,
    UserFactory,
    user_with_role,
)

READ_PAGES = ["org:unit_list", "org:staff_list", "org:responsibility_list", "org:boundary_list"]
KINDS = ["units", "staff", "responsibility_items"]


@pytest.fixture
def bureau(government):
    return UnitFactory(name="濮阳市司法局", parent=government, region=government.region)


@pytest.fixture
def police(government):
    return UnitFactory(name="濮阳市公安局", parent=government, region=government.region)


@pytest.fixture
def handler(bureau):
    return user_with_role(Role.HANDLER, bureau)


def all_read_urls(unit: Unit) -> list[str]:
    urls = [reverse(name) for name in READ_PAGES]
    urls.append(reverse("org:unit_detail", args=[unit.pk]))
    for kind in KINDS:
        urls += [reverse("org:template", args=[kind]), reverse("org:export", args=[kind])]
    return urls


def workbook_upload(kind: str, rows: list[list]) -> SimpleUploadedFile:
    spec = xlsx.SHEETS[kind]
    wb = Workbook()
    wb.active.title = spec.title
    wb.active.append([c.header for c in spec.columns])
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("名录.xlsx", buffer.getvalue())


# --- 1. anonymous --------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_everywhere(client, bureau):
    urls = all_read_urls(bureau) + [reverse("org:import", args=[kind]) for kind in KINDS]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


# --- 2. signed in without permission -------------------------------------------------------------


def test_an_account_without_any_role_is_refused_everywhere(client, bureau):
    client.force_login(UserFactory())
    urls = all_read_urls(bureau) + [reverse("org:import", args=[kind]) for kind in KINDS]
    for url in urls:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("kind", KINDS)
def test_casework_staff_cannot_import(client, handler, kind):
    client.force_login(handler)
    url = reverse("org:import", args=[kind])
    assert client.get(url).status_code == 403
    response = client.post(url, {"file": workbook_upload(kind, [])})
    assert response.status_code == 403


def test_security_admin_cannot_import_units_or_items(client, secadmin):
    client.force_login(secadmin)
    assert client.get(reverse("org:import", args=["units"])).status_code == 403
    assert client.get(reverse("org:import", args=["responsibility_items"])).status_code == 403
    assert client.get(reverse("org:import", args=["staff"])).status_code == 200


# --- 3. permitted --------------------------------------------------------------------------------


def test_staff_member_reads_every_register_page(client, handler, bureau):
    ResponsibilityItemFactory(unit=bureau, name="行政复议申请受理")
    BoundaryItemFactory(lead_unit=bureau, name="广场舞噪音扰民")
    client.force_login(handler)

    for url in all_read_urls(bureau):
        assert client.get(url).status_code == 200, url
    assert "行政复议申请受理" in client.get(reverse("org:responsibility_list")).content.decode()
    assert "广场舞噪音扰民" in client.get(reverse("org:boundary_list")).content.decode()


def test_unit_list_filters_by_kind_status_and_keyword(client, handler, bureau, police, government):
    UnitFactory(name="原濮阳市法制办", region=government.region, status=Unit.Status.MERGED, successor=bureau)
    client.force_login(handler)

    def listed(params) -> str:  # unit names as table links, not as options of the filter form
        return client.get(reverse("org:unit_list"), params).content.decode()

    page = listed({"q": "公安"})
    assert ">濮阳市公安局</a>" in page and ">濮阳市司法局</a>" not in page
    page = listed({"status": "merged"})
    assert ">原濮阳市法制办</a>" in page and ">濮阳市公安局</a>" not in page
    page = listed({"kind": "government"})
    assert ">濮阳市人民政府</a>" in page and ">濮阳市公安局</a>" not in page
    # A stale or tampered filter is ignored, not an error page.
    assert client.get(reverse("org:unit_list"), {"kind": "nonsense", "unit": "abc"}).status_code == 200


def test_unit_detail_shows_hierarchy_successor_staff_items_and_boundaries(client, bureau, government, police):
    old = UnitFactory(
        name="原濮阳市法制办",
        region=government.region,
        status=Unit.Status.MERGED,
        successor=bureau,
        status_note="濮编〔2019〕1号",
    )
    MembershipFactory(unit=bureau, user=UserFactory(full_name="周九"), post="科长")
    ResponsibilityItemFactory(unit=bureau, name="行政复议申请受理")
    BoundaryItemFactory(lead_unit=police, co_units=[bureau], name="广场舞噪音扰民")
    viewer = user_with_role(Role.HANDLER, bureau)
    client.force_login(viewer)

    page = client.get(reverse("org:unit_detail", args=[bureau.pk])).content.decode()

    for text in (
        "濮阳市人民政府",
        "原濮阳市法制办",
        "濮编〔2019〕1号",
        "周九",
        "行政复议申请受理",
        "广场舞噪音扰民",
        "配合",
    ):
        assert text in page, text
    old_page = client.get(reverse("org:unit_detail", args=[old.pk])).content.decode()
    assert "由<a" in old_page and "濮阳市司法局" in old_page


def test_unit_detail_of_a_missing_unit_is_404(client, handler):
    client.force_login(handler)
    assert client.get(reverse("org:unit_detail", args=[999_999])).status_code == 404


def test_unknown_register_kind_is_404(client, sysadmin):
    client.force_login(sysadmin)
    assert client.get(reverse("org:export", args=["cases"])).status_code == 404


def test_export_downloads_an_xlsx_with_a_chinese_file_name(client, handler, bureau):
    client.force_login(handler)

    response = client.get(reverse("org:export", args=["units"]))

    assert response["Content-Type"] == xlsx.XLSX_CONTENT_TYPE
    assert "filename*=utf-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content))["单位名录"]
    assert "濮阳市司法局" in [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_import_page_writes_a_clean_file(client, sysadmin, government):
    client.force_login(sysadmin)
    rows = [["濮阳市财政局", "", "政府工作部门", "濮阳市人民政府", "410900", "", 1]]

    response = client.post(reverse("org:import", args=["units"]), {"file": workbook_upload("units", rows)})

    assert response.status_code == 200
    assert "导入完成：新增 1 条" in response.content.decode()
    assert Unit.objects.filter(name="濮阳市财政局").exists()


def test_import_page_lists_every_error_and_writes_nothing(client, sysadmin, government):
    client.force_login(sysadmin)
    rows = [
        ["濮阳市财政局", "", "财政", "", "410900", "", ""],
        ["濮阳市税务局", "", "政府工作部门", "", "999999", "", ""],
    ]

    response = client.post(reverse("org:import", args=["units"]), {"file": workbook_upload("units", rows)})

    page = response.content.decode()
    assert response.status_code == 422
    assert "未导入任何数据：发现 2 处错误" in page
    assert "<td>2</td><td>单位类型</td><td>财政</td>" in page
    assert "<td>3</td><td>区划代码</td><td>999999</td>" in page
    assert not Unit.objects.filter(name__in=["濮阳市财政局", "濮阳市税务局"]).exists()


def test_import_page_refuses_other_file_types(client, sysadmin):
    client.force_login(sysadmin)
    response = client.post(
        reverse("org:import", args=["units"]), {"file": SimpleUploadedFile("名录.xls", b"old excel")}
    )
    assert "请上传 .xlsx 格式的文件" in response.content.decode()


def test_staff_import_shows_initial_passwords_once(client, sysadmin, bureau):
    client.force_login(sysadmin)
    rows = [["wuyi", "吴一", "濮阳市司法局", "承办人员", "", ""]]

    page = client.post(
        reverse("org:import", args=["staff"]), {"file": workbook_upload("staff", rows)}
    ).content.decode()

    assert "初始密码只显示这一次" in page and "wuyi" in page


# --- 4. another unit's object --------------------------------------------------------------------


def test_staff_list_shows_only_staff_in_the_viewers_scope(client, handler, bureau, police):
    MembershipFactory(unit=bureau, user=UserFactory(full_name="同事甲"))
    MembershipFactory(unit=police, user=UserFactory(full_name="外单位乙"))
    client.force_login(handler)

    page = client.get(reverse("org:staff_list")).content.decode()
    filtered = client.get(reverse("org:staff_list"), {"unit": police.pk}).content.decode()

    assert "同事甲" in page and "外单位乙" not in page
    assert "外单位乙" not in filtered


def test_unit_detail_of_another_unit_shows_the_register_but_not_its_staff(client, handler, police):
    MembershipFactory(unit=police, user=UserFactory(full_name="外单位乙"))
    ResponsibilityItemFactory(unit=police, name="户口登记")
    client.force_login(handler)

    page = client.get(reverse("org:unit_detail", args=[police.pk])).content.decode()

    assert "户口登记" in page
    assert "外单位乙" not in page and "不在您的人员查看范围内" in page


def test_registers_of_other_units_are_readable_by_all_staff(client, handler, police):
    ResponsibilityItemFactory(unit=police, name="户口登记")
    BoundaryItemFactory(lead_unit=police, name="占道经营")
    client.force_login(handler)

    assert "户口登记" in client.get(reverse("org:responsibility_list")).content.decode()
    assert "占道经营" in client.get(reverse("org:boundary_list")).content.decode()
    assert "濮阳市公安局" in client.get(reverse("org:unit_list")).content.decode()


def test_staff_export_leaves_out_other_units(client, handler, police):
    other = MembershipFactory(unit=police)
    client.force_login(handler)

    response = client.get(reverse("org:export", args=["staff"]))

    sheet = load_workbook(io.BytesIO(response.content))["人员与角色"]
    usernames = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert handler.username in usernames and other.user.username not in usernames


# --- query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_list_pages_use_a_fixed_number_of_queries(
    client, django_assert_num_queries, sysadmin, government, rows
):
    for _ in range(rows):
        unit = UnitFactory(parent=government, region=government.region)
        MembershipFactory(unit=unit)
        ResponsibilityItemFactory(unit=unit)
        BoundaryItemFactory(lead_unit=unit, co_units=[government])
    client.force_login(sysadmin)

    # session, user and roles; then the count, the page and the unit chooser of the filter form
    for name, queries in [
        ("org:unit_list", 6),
        ("org:staff_list", 6),
        ("org:responsibility_list", 6),
        ("org:boundary_list", 7),  # + the co-operating units, prefetched in one query
    ]:
        client.get(reverse(name))  # the first request after sign-in also rewrites the session
        with django_assert_num_queries(queries):
            assert client.get(reverse(name)).status_code == 200


# --- granting and revoking roles (安全管理员) --------------------------------------------------------


def test_grant_page_permission_cases(client, handler, sysadmin, secadmin, bureau):
    url = reverse("org:membership_grant")
    assert client.get(url).status_code == 302
    for user in (handler, sysadmin):  # 三员: not even the system administrator grants roles
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(secadmin)
    assert client.get(url).status_code == 200


def test_security_admin_grants_a_role_from_the_page(client, secadmin, bureau):
    newcomer = UserFactory(username="zhengshi")
    client.force_login(secadmin)

    response = client.post(
        reverse("org:membership_grant"),
        {"username": "zhengshi", "unit": bureau.pk, "role": Role.HANDLER, "scope": "unit", "post": "科员"},
    )

    assert response.status_code == 302
    assert newcomer.memberships.get().unit == bureau


def test_grant_page_shows_the_three_admins_rule(client, secadmin, sysadmin, bureau):
    client.force_login(secadmin)

    response = client.post(
        reverse("org:membership_grant"),
        {"username": sysadmin.username, "unit": bureau.pk, "role": Role.HANDLER, "scope": "unit"},
    )

    assert response.status_code == 200
    assert "三员分立：该账号是系统管理员" in response.content.decode()
    assert not sysadmin.memberships.filter(role=Role.HANDLER).exists()


def test_revoke_permission_cases(client, handler, secadmin, bureau):
    target = MembershipFactory(unit=bureau)
    url = reverse("org:membership_revoke", args=[target.pk])

    assert client.post(url).status_code == 302 and client.post(url)["Location"].startswith(reverse("login"))
    client.force_login(handler)
    assert client.post(url).status_code == 403
    client.force_login(secadmin)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    assert client.post(reverse("org:membership_revoke", args=[999_999])).status_code == 404


def test_revoking_the_last_security_admin_is_explained(client, secadmin):
    client.force_login(secadmin)
    own = secadmin.memberships.get()

    response = client.post(reverse("org:membership_revoke", args=[own.pk]), follow=True)

    assert "最后一名有效的安全管理员" in response.content.decode()
    own.refresh_from_db()
    assert own.is_active
