"""Model fields for citizen PII: encrypted at rest, searchable by exact value through a blind index.

How a domain model declares an encrypted, searchable phone number::

    from fazhi.core.fields import BlindIndexField, EncryptedCharField

    class Ticket(TimeStampedModel):
        caller_phone = EncryptedCharField("来电号码", kind="phone", blank=True)
        caller_phone_index = BlindIndexField(source="caller_phone")

- In Python ``ticket.caller_phone`` is plain text; the column holds "v1:…" SM4 ciphertext.
- ``caller_phone_index`` is filled on every ``save()``/``bulk_create()`` from the plain value
  (HMAC-SM3 of the normalised number), so nobody sets it by hand. ``save(update_fields=…)``
  and ``bulk_update(…)`` must name both fields; ``QuerySet.update()`` must not touch them.
- Search: ``Ticket.objects.filter(pii_lookup_q(Ticket, "caller_phone", "138 1234 1234"))``.
  Any other lookup on the encrypted column raises FieldError: ciphertexts never compare equal.
- Screens show ``ticket.get_caller_phone_masked()`` ("138****1234"), never the plain value,
  unless the user's job needs the whole number.
"""

import functools

from django.core import checks
from django.core.exceptions import FieldError
from django.db import models
from django.db.models import Q

from fazhi.core import crypto

DEFAULT_MAX_LENGTH = {"phone": 32, "id_number": 32, "name": 100, "text": 500}


def _masked(instance: models.Model, *, field: "EncryptedCharField") -> str:
    return crypto.mask(getattr(instance, field.attname), field.kind)


class EncryptedCharField(models.CharField):
    """A short text stored SM4-encrypted. ``max_length`` limits the plain value; the column is TEXT."""

    description = "SM4 加密的个人信息"

    def __init__(self, *args, kind: str, **kwargs):
        if kind not in crypto.PII_KINDS:
            raise ValueError(f"kind 必须是 {', '.join(crypto.PII_KINDS)} 之一，得到 {kind!r}。")
        self.kind = kind
        kwargs.setdefault("max_length", DEFAULT_MAX_LENGTH[kind])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        if kwargs.get("max_length") == DEFAULT_MAX_LENGTH[self.kind]:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "TextField"

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        method = f"get_{name}_masked"
        if method not in cls.__dict__:
            setattr(cls, method, functools.partialmethod(_masked, field=self))

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.unique or self.db_index:
            errors.append(
                checks.Error(
                    "加密字段不能建唯一约束或索引：同一值每次加密结果不同。请改用 BlindIndexField。",
                    obj=self,
                    id="fazhi.E101",
                )
            )
        return errors

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(
            f"加密字段“{self.name}”不能按“{lookup_name}”查询：请用 pii_lookup_q() 按盲索引精确查找。"
        )

    def get_transform(self, lookup_name):
        raise FieldError(f"加密字段“{self.name}”不支持“{lookup_name}”运算。")

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)


class BlindIndexField(models.CharField):
    """HMAC-SM3 of the normalised plain value of ``source``; filled on save, indexed for lookups."""

    description = "个人信息盲索引（HMAC-SM3）"

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        del kwargs["editable"]
        for key, default in (("max_length", 64), ("db_index", True), ("blank", True), ("default", "")):
            if kwargs.get(key) == default:
                del kwargs[key]
        return name, path, args, kwargs

    def source_field(self) -> EncryptedCharField:
        return self.model._meta.get_field(self.source)

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        try:
            source = self.source_field()
        except Exception:
            source = None
        if not isinstance(source, EncryptedCharField):
            errors.append(
                checks.Error(
                    f"BlindIndexField 的 source “{self.source}”必须是同一模型中的 EncryptedCharField。",
                    obj=self,
                    id="fazhi.E102",
                )
            )
        return errors

    def pre_save(self, model_instance, add):
        source = self.source_field()
        value = crypto.blind_index(getattr(model_instance, source.attname), source.kind)
        setattr(model_instance, self.attname, value)
        return value


def index_field_for(model: type[models.Model], field_name: str) -> BlindIndexField:
    for field in model._meta.concrete_fields:
        if isinstance(field, BlindIndexField) and field.source == field_name:
            return field
    raise FieldError(
        f"{model._meta.label} 的加密字段“{field_name}”没有对应的 BlindIndexField，不能按值查找。"
    )


def pii_lookup_q(model: type[models.Model], field_name: str, value: str, *, prefix: str = "") -> Q:
    """A filter matching rows whose encrypted ``field_name`` equals ``value`` after normalisation.

    ``prefix`` reaches the model through a relation, e.g. ``pii_lookup_q(Ticket, "caller_phone",
    v, prefix="ticket")`` on a queryset of cases.
    """
    field = model._meta.get_field(field_name)
    if not isinstance(field, EncryptedCharField):
        raise FieldError(f"{model._meta.label}.{field_name} 不是加密字段。")
    index = index_field_for(model, field_name)
    hashes = crypto.blind_indexes(value or "", field.kind)
    path = f"{prefix}__{index.name}" if prefix else index.name
    return Q(**{f"{path}__in": hashes})  # an empty value matches nothing
