import base64

import pytest
from django.core.exceptions import FieldError
from django.db import connection, models
from django.test.utils import isolate_apps

from fazhi.core import crypto
from fazhi.core.fields import BlindIndexField, EncryptedCharField, pii_lookup_q

NEW_KEY = "ffeeddccbbaa99887766554433221100"


# --- crypto --------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [crypto.MODE_GCM, crypto.MODE_CBC_HMAC])
def test_round_trip_in_both_modes(mode):
    token = crypto.encrypt("张三 13812341234", mode=mode)

    assert token.startswith("v1:")
    assert "13812341234" not in token
    assert crypto.decrypt(token) == "张三 13812341234"


def test_gcm_is_used_when_the_backend_supports_it():
    token = crypto.encrypt("13812341234")

    expected = crypto.MODE_GCM if crypto.gcm_supported() else crypto.MODE_CBC_HMAC
    assert base64.b64decode(token[3:])[0] == expected


def test_the_same_value_encrypts_differently_each_time():
    assert crypto.encrypt("13812341234") != crypto.encrypt("13812341234")


@pytest.mark.parametrize("mode", [crypto.MODE_GCM, crypto.MODE_CBC_HMAC])
def test_a_flipped_byte_is_detected(mode):
    raw = bytearray(base64.b64decode(crypto.encrypt("13812341234", mode=mode)[3:]))
    raw[-20] ^= 0x01
    tampered = "v1:" + base64.b64encode(bytes(raw)).decode()

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered)


def test_plain_text_is_not_accepted_as_ciphertext():
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt("13812341234")


def test_old_key_still_decrypts_after_rotation(settings):
    written_before = crypto.encrypt("110101199003071234")

    settings.FAZHI_PII_KEY_OLD = settings.FAZHI_PII_KEY
    settings.FAZHI_PII_KEY = NEW_KEY

    assert crypto.decrypt(written_before) == "110101199003071234"
    rotated = crypto.reencrypt(written_before)
    settings.FAZHI_PII_KEY_OLD = ""
    assert crypto.decrypt(rotated) == "110101199003071234"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(written_before)


@pytest.mark.parametrize(
    "spelling", ["13812341234", "138 1234 1234", "138-1234-1234", "+8613812341234", "+86 138 1234 1234"]
)
def test_blind_index_is_the_same_for_every_spelling_of_a_phone(spelling):
    assert crypto.blind_index(spelling, "phone") == crypto.blind_index("13812341234", "phone")


def test_blind_index_ignores_case_of_the_id_check_character():
    assert crypto.blind_index("11010119900307123x", "id_number") == crypto.blind_index(
        "11010119900307123X", "id_number"
    )


def test_blind_index_differs_by_value_kind_and_key(settings):
    phone = crypto.blind_index("13812341234", "phone")

    assert phone != crypto.blind_index("13812341235", "phone")
    assert phone != crypto.blind_index("13812341234", "text")
    assert len(phone) == 64
    settings.FAZHI_PII_KEY = NEW_KEY
    assert crypto.blind_index("13812341234", "phone") != phone


def test_blind_index_of_empty_is_empty_and_unknown_kind_is_refused():
    assert crypto.blind_index("", "phone") == ""
    with pytest.raises(ValueError):
        crypto.blind_index("x", "passport")


@pytest.mark.parametrize(
    ("value", "masked"),
    [("13812341234", "138****1234"), ("+86 138 1234 1234", "138****1234"), ("", ""), (None, "")],
)
def test_mask_phone(value, masked):
    assert crypto.mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("110101199003071234", "110101********1234"),
        ("11010119900307123x", "110101********123X"),
        ("110101900307123", "110101******123"),
    ],
)
def test_mask_id_hides_the_birth_date(value, masked):
    assert crypto.mask_id(value) == masked


def test_mask_name_keeps_the_surname():
    assert crypto.mask_name("张三") == "张*"
    assert crypto.mask_name("李小龙") == "李**"


# --- fields --------------------------------------------------------------------------------


@pytest.fixture
def citizen_model(django_db_serialized_rollback, transactional_db):
    """A throwaway table with an encrypted, searchable phone, as a domain model would declare it."""
    with isolate_apps("fazhi.core"):

        class Citizen(models.Model):
            name = models.CharField(max_length=20)
            phone = EncryptedCharField("电话", kind="phone", blank=True)
            phone_index = BlindIndexField(source="phone")
            id_number = EncryptedCharField("身份证号", kind="id_number", null=True, blank=True)

            class Meta:
                app_label = "core"

            def __str__(self) -> str:
                return self.name

    with connection.schema_editor() as editor:
        editor.create_model(Citizen)
    yield Citizen
    with connection.schema_editor() as editor:
        editor.delete_model(Citizen)


def _raw_row(model, pk):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT phone, phone_index, id_number FROM {model._meta.db_table} WHERE id = %s", [pk]
        )
        return cursor.fetchone()


def test_the_column_holds_ciphertext_and_python_sees_plain_text(citizen_model):
    citizen = citizen_model.objects.create(name="张三", phone="13812341234", id_number="110101199003071234")

    stored_phone, stored_index, stored_id = _raw_row(citizen_model, citizen.pk)
    assert stored_phone.startswith("v1:") and "1234" not in stored_phone
    assert stored_id.startswith("v1:") and "110101" not in stored_id
    assert stored_index == crypto.blind_index("13812341234", "phone")
    fresh = citizen_model.objects.get(pk=citizen.pk)
    assert fresh.phone == "13812341234"
    assert fresh.id_number == "110101199003071234"
    assert fresh.get_phone_masked() == "138****1234"
    assert fresh.get_id_number_masked() == "110101********1234"


def test_lookup_by_any_spelling_finds_the_row(citizen_model):
    wanted = citizen_model.objects.create(name="张三", phone="138-1234-1234")
    citizen_model.objects.create(name="李四", phone="13900001111")

    found = citizen_model.objects.filter(pii_lookup_q(citizen_model, "phone", "+86 138 1234 1234"))

    assert list(found) == [wanted]
    assert not citizen_model.objects.filter(pii_lookup_q(citizen_model, "phone", "")).exists()


def test_index_follows_the_value_when_it_changes(citizen_model):
    citizen = citizen_model.objects.create(name="张三", phone="13812341234")

    citizen.phone = "13900001111"
    citizen.save()

    assert citizen_model.objects.filter(pii_lookup_q(citizen_model, "phone", "13900001111")).get() == citizen
    assert not citizen_model.objects.filter(pii_lookup_q(citizen_model, "phone", "13812341234")).exists()


def test_lookup_still_matches_rows_indexed_under_the_old_key(citizen_model, settings):
    citizen = citizen_model.objects.create(name="张三", phone="13812341234")

    settings.FAZHI_PII_KEY_OLD = settings.FAZHI_PII_KEY
    settings.FAZHI_PII_KEY = NEW_KEY

    assert citizen_model.objects.filter(pii_lookup_q(citizen_model, "phone", "13812341234")).get() == citizen
    assert citizen_model.objects.get(pk=citizen.pk).phone == "13812341234"


def test_empty_and_null_values_are_stored_as_such(citizen_model):
    citizen = citizen_model.objects.create(name="无名", phone="", id_number=None)

    assert _raw_row(citizen_model, citizen.pk) == ("", "", None)
    assert citizen_model.objects.filter(id_number__isnull=True).get() == citizen


def test_filtering_the_encrypted_column_directly_is_refused(citizen_model):
    with pytest.raises(FieldError, match="pii_lookup_q"):
        citizen_model.objects.filter(phone="13812341234")


def test_prep_value_encrypts_and_from_db_value_decrypts():
    field = EncryptedCharField(kind="phone")

    stored = field.get_prep_value("13812341234")

    assert stored.startswith("v1:")
    assert field.from_db_value(stored, None, connection) == "13812341234"
    assert field.get_prep_value(None) is None


def test_field_deconstructs_for_migrations():
    _, path, _, kwargs = EncryptedCharField("电话", kind="phone", blank=True).deconstruct()
    assert path == "fazhi.core.fields.EncryptedCharField"
    assert kwargs == {"kind": "phone", "blank": True, "verbose_name": "电话"}
    _, path, _, kwargs = BlindIndexField(source="phone").deconstruct()
    assert kwargs == {"source": "phone"}


@isolate_apps("fazhi.core")
def test_checks_reject_an_index_on_the_ciphertext_and_a_dangling_source():
    class Bad(models.Model):
        phone = EncryptedCharField(kind="phone", db_index=True)
        phone_index = BlindIndexField(source="nope")

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return "bad"

    assert [e.id for e in Bad._meta.get_field("phone").check()] == ["fazhi.E101"]
    assert [e.id for e in Bad._meta.get_field("phone_index").check()] == ["fazhi.E102"]
