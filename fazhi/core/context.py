"""Per-request facts (IP, request id) that the audit trail records without every service taking them."""

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestMeta:
    ip: str | None = None
    request_id: str = ""


_EMPTY = RequestMeta()
_current: contextvars.ContextVar[RequestMeta | None] = contextvars.ContextVar(
    "fazhi_request_meta", default=None
)


def current() -> RequestMeta:
    return _current.get() or _EMPTY


def bind(*, ip: str | None, request_id: str | None = None) -> contextvars.Token:
    return _current.set(RequestMeta(ip=ip, request_id=request_id or uuid.uuid4().hex))


def reset(token: contextvars.Token) -> None:
    _current.reset(token)
