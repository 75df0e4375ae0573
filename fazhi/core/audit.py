"""The audit trail: every write records who did what to which object, and whether it worked.

Rows are chained with SM3 (GB/T 32905): each hash covers the row's content and the previous
hash, so editing or deleting a row is detectable by `fazhi audit verify`.
"""

import json
from typing import Any

from cryptography.hazmat.primitives import hashes
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from fazhi.core import context
from fazhi.core.models import AuditEvent

GENESIS = "0" * 64
_PG_LOCK_KEY = 7_311_000_001  # serialises appends to the chain on PostgreSQL


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "before": event.before,
        "after": event.after,
        "ip": event.ip,
        "request_id": event.request_id,
        "success": event.success,
        "message": event.message,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    ).encode()


def compute_hash(event: AuditEvent) -> str:
    return sm3_hex(_canonical(event))


def _target_fields(target: Model | None) -> dict[str, str]:
    if target is None:
        return {"target_type": "", "target_id": "", "target_label": ""}
    return {
        "target_type": target._meta.label_lower,
        "target_id": str(target.pk),
        "target_label": str(target)[:200],
    }


def record(
    *,
    actor: Any,
    action: str,
    target: Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    success: bool = True,
    message: str = "",
) -> AuditEvent:
    """Append one event to the chain. Call it inside the service's transaction so that a failed
    audit write fails the action with it."""
    meta = context.current()
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=user,
        actor_label=(user.get_username() if user else str(actor or "系统"))[:150],
        action=action,
        before=before,
        after=after,
        ip=meta.ip,
        request_id=meta.request_id,
        success=success,
        message=message[:500],
        **_target_fields(target),
    )
    # No savepoint of its own: an audit write that fails fails the caller's transaction with it.
    with transaction.atomic(savepoint=False):
        if not _append_after_own_head(event):
            _append(event)
    return event


def _append(event: AuditEvent) -> None:
    """Lock the chain, read its head, insert: the first record of a transaction."""
    txid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s), txid_current()", [_PG_LOCK_KEY])
            txid = cursor.fetchone()[1]
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    event.prev_hash = last or GENESIS
    event.hash = compute_hash(event)
    event.save()
    connection._fazhi_audit_head = (txid, event.hash)


def _append_after_own_head(event: AuditEvent) -> bool:
    """Later records of the same transaction, in one statement: the lock is already held (it is
    released only with the transaction, or with the savepoint that took it), so the head is the
    record this transaction wrote last, if that record is still there. The INSERT checks exactly
    that and inserts nothing otherwise (the caller then takes the full path)."""
    own = getattr(connection, "_fazhi_audit_head", None)
    if own is None:
        return False
    txid, head = own
    event.prev_hash = head
    event.hash = compute_hash(event)
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(getattr(event, f.attname), connection) for f in fields]
    table, qn = AuditEvent._meta.db_table, connection.ops.quote_name
    if connection.vendor == "postgresql":
        placeholders = ", ".join(f"CAST(%s AS {f.cast_db_type(connection)})" for f in fields)
        guard, guard_params = "txid_current() = %s AND ", [txid]
    else:  # SQLite: one writer at a time; the head check alone
        placeholders, guard, guard_params = ", ".join(["%s"] * len(fields)), "", []
    sql = (
        f"INSERT INTO {qn(table)} ({', '.join(qn(f.column) for f in fields)}) SELECT {placeholders} "
        f"WHERE {guard}(SELECT {qn('hash')} FROM {qn(table)} ORDER BY {qn('id')} DESC LIMIT 1) = %s "
        f"RETURNING {qn('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *guard_params, head])
        row = cursor.fetchone()
    if row is None:
        return False
    event.pk = row[0]
    event._state.adding, event._state.db = False, connection.alias
    connection._fazhi_audit_head = (txid, event.hash)
    return True


def verify_chain(*, batch_size: int = 5000) -> tuple[int, list[str]]:
    """Walk the whole chain; return (rows checked, problems in Chinese)."""
    problems: list[str] = []
    expected_prev = GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        checked += 1
        if event.prev_hash != expected_prev:
            problems.append(f"第{event.pk}条审计记录的前序摘要不符：其前一条记录被删除或篡改。")
        if compute_hash(event) != event.hash:
            problems.append(f"第{event.pk}条审计记录的内容与摘要不符：该记录被篡改。")
        expected_prev = event.hash
    return checked, problems
