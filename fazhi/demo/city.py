"""Build the demo city through the real services, so it is numbered, clocked and audited.

`build_city()` writes, in one transaction: the regions, the units, the accounts and their roles
(三员 first, through the bootstrap services), the 权责清单, the 边界事项, the 2019 机构改革, and a
spread of cases in every clock state, then runs the reminder sweep. The same seed gives the same
city on the same day; dates are relative to today, so yesterday's city had other due dates.
"""

import hashlib
import json
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import TextIO

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from tqdm import tqdm

from fazhi.assessment import demo as assessment_demo
from fazhi.cases import services as cases
from fazhi.cases.models import Case, CaseType, Notice, Supervision
from fazhi.core.calendar import CalendarRangeError
from fazhi.core.deadlines import due_date
from fazhi.core.services import calendar_extend_ahead
from fazhi.demo import data
from fazhi.hotline.history import generate_history
from fazhi.legal import demo as legal_demo
from fazhi.mediation import demo as mediation_demo
from fazhi.org import services as org
from fazhi.org.models import BoundaryItem, Membership, Region, ResponsibilityItem, Role, Unit, User
from fazhi.org.validators import credit_code_check_char
from fazhi.portal import demo as portal_demo
from fazhi.reports import demo as reports_demo
from fazhi.suggestions import demo as suggestions_demo


class DemoCityExists(Exception):
    """The database already holds units; the demo is only ever built on an empty one."""


@dataclass(frozen=True)
class DemoLogin:
    role: str
    role_label: str
    username: str
    password: str
    full_name: str
    unit: str


@dataclass
class DemoSummary:
    counts: dict[str, int]
    logins: list[DemoLogin]
    digest: str
    seconds: float
    operator: str = ""
    token_issuer: str = ""


class DemoArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with light parameters, used only while the demo accounts are created.

    All demo accounts share one published password, and two hundred hashes at the production
    cost take most of a minute. Django re-hashes each with the configured cost at first sign-in
    (Argon2PasswordHasher.must_update sees the lighter parameters).
    """

    time_cost = 1
    memory_cost = 1024
    parallelism = 1


@contextmanager
def _light_password_hashing() -> Iterator[None]:
    hashers = [f"{__name__}.DemoArgon2PasswordHasher", *settings.PASSWORD_HASHERS]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield


def build_city(
    *,
    scale: int = 1,
    seed: int = 20240101,
    progress: bool = True,
    stdout: TextIO | None = None,
    hotline_history: int | None = None,
) -> DemoSummary:
    """Write 明湖市 into an empty database and say what was built and how to log in.

    `hotline_history` is how many past 12345 requests to add (default HOTLINE_HISTORY × scale)."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    if Unit.objects.exists():
        raise DemoCityExists(
            "数据库中已有单位数据，演示城市只能建在空数据库上（fazhi demo 会先重建 SQLite 数据库）。"
        )
    started = time.monotonic()
    history = HOTLINE_HISTORY * scale if hotline_history is None else hotline_history
    builder = _Builder(rng=random.Random(seed), scale=scale, seed=seed, history=history)
    bar = tqdm(
        total=builder.planned_steps(),
        desc="建设演示城市",
        unit="项",
        disable=not progress,
        file=stdout or sys.stderr,
        leave=True,
        dynamic_ncols=True,
    )
    builder.bar = bar
    try:
        with _light_password_hashing(), transaction.atomic():
            builder.build()
    finally:
        bar.close()
    return DemoSummary(
        counts=city_counts(),
        logins=builder.showcase_logins(),
        digest=city_digest(),
        seconds=round(time.monotonic() - started, 1),
        operator=dict(data.SHOWCASE_LOGINS)[Role.OPERATOR],
        token_issuer=dict(data.SHOWCASE_LOGINS)[Role.SECURITY_ADMIN],
    )


# --- reading back what was built -----------------------------------------------------------------


def city_counts(*, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    open_cases = Case.objects.filter(status=Case.Status.OPEN)
    return {
        "regions": Region.objects.count(),
        "communities": Region.objects.filter(level=Region.Level.COMMUNITY).count(),
        "units": Unit.objects.count(),
        "units_merged": Unit.objects.filter(status=Unit.Status.MERGED).count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.filter(is_active=True).count(),
        "responsibility_items": ResponsibilityItem.objects.filter(is_active=True).count(),
        "boundary_items": BoundaryItem.objects.filter(is_active=True).count(),
        "cases": Case.objects.count(),
        "cases_open": open_cases.count(),
        "cases_suspended": Case.objects.filter(status=Case.Status.SUSPENDED).count(),
        "cases_closed": Case.objects.filter(status=Case.Status.CLOSED).count(),
        "cases_overdue": open_cases.filter(due_date__lt=today).count(),
        "cases_extended": Case.objects.filter(extended=True).count(),
        "supervisions": Supervision.objects.count(),
        "notices": Notice.objects.count(),
    }


def city_digest() -> str:
    """A fingerprint of the city's names and numbers: equal for equal seeds built on the same day."""
    rows = {
        "regions": list(Region.objects.order_by("code").values_list("code", "name")),
        "units": list(
            Unit.objects.order_by("name").values_list("name", "credit_code", "status", "successor__name")
        ),
        "users": list(User.objects.order_by("username").values_list("username", "full_name")),
        "roles": list(
            Membership.objects.filter(is_active=True)
            .order_by("user__username", "unit__name", "role")
            .values_list("user__username", "unit__name", "role", "scope")
        ),
        "items": list(ResponsibilityItem.objects.order_by("code").values_list("code", "name", "unit__name")),
        "boundary": list(
            BoundaryItem.objects.order_by("code").values_list("code", "name", "lead_unit__name")
        ),
        "cases": [
            (
                c.number,
                c.title,
                c.handling_unit.name,
                c.status,
                c.due_date.isoformat(),
                c.start_date.isoformat(),
            )
            for c in Case.objects.select_related("handling_unit").order_by("number")
        ],
    }
    payload = json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


# --- codes ------------------------------------------------------------------------------------------

# GB 11714 organisation code: 8 body characters and a check character (weights below, mod 11).
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_code(body: str) -> str:
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(org_class: str, region_code: str, serial: int) -> str:
    """A well-formed 统一社会信用代码 (GB 32100): class, region, organisation code, check character."""
    body = f"{org_class}{region_code}{organisation_code(f'{4_180_000 + serial * 37:08d}')}"
    return body + credit_code_check_char(body)


# --- the builder -------------------------------------------------------------------------------------

WEEKDAY_HOURS = (8, 9, 9, 10, 10, 11, 14, 15, 15, 16, 17, 19, 20)
HOTLINE_HISTORY = 24_000  # a year of 12345 requests at scale 1 (fazhi.hotline.history)


@dataclass
class _Plan:
    case_type: CaseType
    state: str
    showcase: bool
    title: str
    description: str
    unit: Unit
    co_units: list[Unit]
    actor: User
    received_at: datetime
    confidential: bool


@dataclass
class _Street:
    county: data.County
    suffix: str
    name: str
    region: Region | None = None
    unit: Unit | None = None
    communities: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return f"{self.county.code}{self.suffix}"

    @property
    def is_urban(self) -> bool:
        return self.suffix < "100"  # 001–099 are 街道

    @property
    def unit_name(self) -> str:
        office = "办事处" if self.is_urban else "人民政府"
        return f"{self.county.name}{self.name}{office}"

    @property
    def slug(self) -> str:
        index = self.county.streets.index((self.suffix, self.name)) + 1
        return f"{self.county.slug}{index:02d}"


class _Builder:
    def __init__(self, *, rng: random.Random, scale: int, seed: int = 0, history: int = 0):
        self.rng = rng
        self.scale = scale
        self.seed = seed
        self.history = history
        self.today = timezone.localdate()
        self.bar: tqdm | None = None
        self.regions: dict[str, Region] = {}
        self.units: dict[str, Unit] = {}
        self.users: dict[str, User] = {}
        self.handlers: dict[str, User] = {}
        self.leaders: dict[str, User] = {}
        self.roles_granted: dict[str, tuple[str, str]] = {}  # username -> (role, unit name)
        self.names_used: set[str] = set()
        self.serial = 0
        self.streets = [
            _Street(county, suffix, name) for county in data.COUNTIES for suffix, name in county.streets
        ]
        self.case_types: dict[str, CaseType] = {}
        self.boundary: dict[str, tuple[str, list[str]]] = {}  # code suffix -> (lead key, co keys)
        self._start_cache: dict[tuple[str, date], date | None] = {}
        self._keys: dict[int, str] = {}

    # -- bookkeeping ----------------------------------------------------------------------------

    @property
    def communities_per_street(self) -> int:
        return min(data.COMMUNITIES_PER_STREET * self.scale, 199)

    @property
    def case_rounds(self) -> int:
        return self.scale

    def planned_steps(self) -> int:
        """How many progress-bar steps build() takes (one per object the services write)."""
        towns = sum(1 for s in self.streets if not s.is_urban)
        regions = 1 + len(data.COUNTIES) + len(self.streets) * (1 + self.communities_per_street)
        units = len(data.CITY_UNITS) - 1 + len(data.COUNTIES) + len(self.streets)
        staff = 2 * (len(data.CITY_UNITS) + len(data.COUNTIES) + len(self.streets)) + len(data.SPECIAL_STAFF)
        items = sum(len(v) for v in data.RESPONSIBILITIES.values())
        items += len(self.streets) * len(data.STREET_RESPONSIBILITIES) + towns * len(
            data.TOWNSHIP_RESPONSIBILITIES
        )
        case_count = (len(data.HOTLINE) + len(data.CASEWORK)) * self.case_rounds
        bootstrap = 2 + len(data.ADMINS)
        return (
            bootstrap
            + regions
            + units
            + staff
            + items
            + len(data.BOUNDARY_ITEMS)
            + len(data.MERGED_UNITS)
            + case_count
            + self.history
            + 1
        )

    def step(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def next_credit_code(self, org_class: str, region_code: str) -> str:
        self.serial += 1
        return credit_code(org_class, region_code, self.serial)

    def person_name(self) -> str:
        while True:
            name = self.rng.choice(data.SURNAMES) + self.rng.choice(data.GIVEN_NAMES)
            if name not in self.names_used:
                self.names_used.add(name)
                return name

    @property
    def sysadmin(self) -> User:
        return self.users["sysadmin"]

    @property
    def secadmin(self) -> User:
        return self.users["secadmin"]

    # -- the whole build --------------------------------------------------------------------------

    def build(self) -> None:
        self.bootstrap()
        # What the daily sweep does in production: deadlines near the year's end reach into a
        # year the holiday package may lack, laid out provisionally from weekends.
        calendar_extend_ahead(today=self.today)
        self.build_regions()
        self.build_units()
        self.build_staff()
        self.build_responsibilities()
        self.build_boundary_items()
        self.reorganise()
        self.build_cases()
        self.build_hotline_history()
        suggestions_demo.build(self)
        mediation_demo.build(self)
        legal_demo.build(self)
        reports_demo.build(self)
        portal_demo.build(self)
        assessment_demo.build(self)
        cases.reminders_sweep(today=self.today)
        self.step()

    def build_hotline_history(self) -> None:
        """A year of 12345 requests over every street, category and unit, loaded in bulk."""
        if self.history:
            generate_history(
                actor=self.users["hotline1"],
                count=self.history,
                seed=self.seed,
                today=self.today,
                units=self.units,
                progress=self.step,
            )

    def bootstrap(self) -> None:
        """An empty install: the top unit, then the three administrators (三员分立)."""
        province_code, province_name = data.PROVINCE
        spec = data.CITY_UNITS[0]
        root = org.bootstrap_root_unit(
            region_code=province_code,
            region_name=province_name,
            region_level=Region.Level.PROVINCE,
            name=spec.name,
            short_name=spec.short_name,
            credit_code=self.next_credit_code(spec.org_class, data.CITY[0]),
        )
        self.regions[province_code] = root.region
        self.units[spec.key] = root
        self.step(2)
        for username, role, _post in data.ADMINS:
            user = org.bootstrap_admin(
                username=username,
                full_name=self.person_name(),
                role=role,
                password=data.DEMO_PASSWORD,
                unit=root,
                password_set_now=True,
            )
            self.users[username] = user
            self.roles_granted[username] = (role, root.name)
            self.step()

    def build_regions(self) -> None:
        province = self.regions[data.PROVINCE[0]]
        code, name = data.CITY
        city = org.region_create(
            actor=self.sysadmin, code=code, name=name, level=Region.Level.CITY, parent=province
        )
        self.regions[code] = city
        # The top unit was registered under the province before the city's code existed.
        self.units["szf"] = org.unit_update(actor=self.sysadmin, unit=self.units["szf"], region=city)
        self.step()
        for county in data.COUNTIES:
            self.regions[county.code] = org.region_create(
                actor=self.sysadmin,
                code=county.code,
                name=county.name,
                level=Region.Level.COUNTY,
                parent=city,
            )
            self.step()
        for street in self.streets:
            street.region = org.region_create(
                actor=self.sysadmin,
                code=street.code,
                name=street.name,
                level=Region.Level.STREET,
                parent=self.regions[street.county.code],
            )
            self.step()
            pool = data.COMMUNITY_NAMES if street.is_urban else data.VILLAGE_NAMES
            suffix = "社区" if street.is_urban else "村"
            first = 1 if street.is_urban else 201
            names = self.rng.sample(pool, len(pool))
            for i in range(self.communities_per_street):
                base = names[i % len(names)]
                round_ = i // len(names)
                name = f"{base}{suffix}" if round_ == 0 else f"{base}{_ordinal(round_ + 1)}{suffix}"
                org.region_create(
                    actor=self.sysadmin,
                    code=f"{street.code}{first + i:03d}",
                    name=name,
                    level=Region.Level.COMMUNITY,
                    parent=street.region,
                )
                street.communities.append(name)
                self.step()

    def build_units(self) -> None:
        city = self.regions[data.CITY[0]]
        for order, spec in enumerate(data.CITY_UNITS[1:], start=2):
            self.units[spec.key] = org.unit_create(
                actor=self.sysadmin,
                name=spec.name,
                short_name=spec.short_name,
                kind=spec.kind,
                region=city,
                parent=self.units[spec.parent] if spec.parent else None,
                credit_code=self.next_credit_code(spec.org_class, city.code),
                sort_order=order * 10,
            )
            self.step()
        for order, county in enumerate(data.COUNTIES, start=1):
            region = self.regions[county.code]
            self.units[county.slug] = org.unit_create(
                actor=self.sysadmin,
                name=f"{data.CITY[1]}{county.name}人民政府",
                short_name=f"{county.name}政府",
                kind=Unit.Kind.GOVERNMENT,
                region=region,
                parent=self.units["szf"],
                credit_code=self.next_credit_code("11", county.code),
                sort_order=1000 + order * 100,
            )
            self.step()
        for order, street in enumerate(self.streets, start=1):
            street.unit = org.unit_create(
                actor=self.sysadmin,
                name=street.unit_name,
                short_name=street.name,
                kind=Unit.Kind.TOWNSHIP,
                region=street.region,
                parent=self.units[street.county.slug],
                credit_code=self.next_credit_code("11", street.county.code),
                sort_order=2000 + order,
            )
            self.units[street.slug] = street.unit
            self.step()

    def _account(self, username: str, role: str, unit: Unit, *, scope: str = "unit", post: str = "") -> User:
        user, _password = org.user_create(
            actor=self.sysadmin,
            username=username,
            full_name=self.person_name(),
            password=data.DEMO_PASSWORD,
            password_set_now=True,
        )
        org.membership_grant(actor=self.secadmin, user=user, unit=unit, role=role, scope=scope, post=post)
        self.users[username] = user
        self.roles_granted[username] = (role, unit.name)
        self.step()
        return user

    def build_staff(self) -> None:
        """A handler and a leader in every unit; supervisors, operators and leaders with scope all."""
        for spec in data.CITY_UNITS:
            unit = self.units[spec.key]
            self.handlers[spec.key] = self._account(spec.key, Role.HANDLER, unit, post=spec.post_handler)
            self.leaders[spec.key] = self._account(
                f"{spec.key}.lead", Role.UNIT_LEADER, unit, post=spec.post_leader
            )
        for county in data.COUNTIES:
            unit = self.units[county.slug]
            self.handlers[county.slug] = self._account(
                county.slug, Role.HANDLER, unit, post="区（县）政府办公室科员"
            )
            self.leaders[county.slug] = self._account(
                f"{county.slug}.lead", Role.UNIT_LEADER, unit, scope="subtree", post="副区（县）长"
            )
        for street in self.streets:
            head = "街道办事处副主任" if street.is_urban else "副镇（乡）长"
            self.handlers[street.slug] = self._account(
                street.slug, Role.HANDLER, street.unit, post="综合治理办公室科员"
            )
            self.leaders[street.slug] = self._account(
                f"{street.slug}.lead", Role.UNIT_LEADER, street.unit, post=head
            )
        for username, unit_key, role, scope, post in data.SPECIAL_STAFF:
            self._account(username, role, self.units[unit_key], scope=scope, post=post)

    def build_responsibilities(self) -> None:
        for key, items in data.RESPONSIBILITIES.items():
            unit = self.units[key]
            for n, (kind, name, basis) in enumerate(items, start=1):
                org.responsibility_item_create(
                    actor=self.sysadmin,
                    code=f"{data.CITY[0]}-{data.KIND_CODES[kind]}-{key.upper()}-{n:03d}",
                    kind=kind,
                    name=name,
                    legal_basis=basis,
                    unit=unit,
                )
                self.step()
        for street in self.streets:
            items = data.STREET_RESPONSIBILITIES
            if not street.is_urban:
                items = items + data.TOWNSHIP_RESPONSIBILITIES
            for n, (kind, name, basis) in enumerate(items, start=1):
                org.responsibility_item_create(
                    actor=self.sysadmin,
                    code=f"{street.code}-{data.KIND_CODES[kind]}-{n:03d}",
                    kind=kind,
                    name=name,
                    legal_basis=basis,
                    unit=street.unit,
                )
                self.step()

    def build_boundary_items(self) -> None:
        for suffix, name, lead, co, keywords, basis, description in data.BOUNDARY_ITEMS:
            org.boundary_item_create(
                actor=self.sysadmin,
                code=f"{data.CITY[0]}-BJ-{suffix}",
                name=name,
                description=description,
                lead_unit=self.units[lead],
                co_units=[self.units[k] for k in co],
                keywords=keywords,
                legal_basis=basis,
                settled_by=data.BOUNDARY_DOC,
            )
            self.boundary[suffix] = (lead, list(co))
            self.step()

    def reorganise(self) -> None:
        """The 2019 reform: merged units hand their lists and people to the successor."""
        on = date.fromisoformat(data.REFORM_DATE)
        for key, (successor_key, note) in data.MERGED_UNITS.items():
            self.units[key] = org.unit_reorganise(
                actor=self.sysadmin,
                unit=self.units[key],
                status=Unit.Status.MERGED,
                successor=self.units[successor_key],
                on=on,
                note=note,
            )
            # Their staff now work at the successor; later permission checks must reload roles.
            for user in (self.handlers.pop(key), self.leaders.pop(key)):
                user.__dict__.pop("_fazhi_memberships", None)
            self.step()

    # -- cases ---------------------------------------------------------------------------------------

    def build_cases(self) -> None:
        """Plan every case first, then open them in the order they arrived, as a registry would."""
        self.case_types = {ct.code: ct for ct in CaseType.objects.prefetch_related("stages")}
        templates = []
        for round_ in range(self.case_rounds):
            templates += [("hotline", *template, round_) for template in data.HOTLINE]
            templates += [(code, key, "", title, text, round_) for code, key, title, text in data.CASEWORK]
        # The showcase handler's own cases cover every clock state, so its workbench shows them all.
        showcase = iter(("overdue", "due_soon", "normal", "suspended", "extended", "overdue", "closed"))
        plans = []
        for code, unit_key, boundary, title, description, round_ in templates:
            state = next(showcase, None) if unit_key == data.SHOWCASE_HANDLER_UNIT and round_ == 0 else None
            plans.append(self.plan_case(code, unit_key, boundary, title, description, state=state))
        for plan in sorted(plans, key=lambda p: p.received_at):
            self.open_case(plan)
            self.step()

    def _place(self, unit_key: str) -> tuple[Unit, _Street, str]:
        """The handling unit and where the matter is: a street (the unit itself for street work)."""
        if unit_key == "street":
            street = self.rng.choice([s for s in self.streets if s.is_urban])
            return street.unit, street, self.rng.choice(street.communities)
        if unit_key == "township":
            street = self.rng.choice([s for s in self.streets if not s.is_urban])
            return street.unit, street, self.rng.choice(street.communities)
        street = self.rng.choice([s for s in self.streets if s.is_urban])
        return self.units[unit_key], street, self.rng.choice(street.communities)

    def _pick_state(self, case_type: CaseType) -> str:
        states = (
            "closed",
            "closed_late",
            "normal",
            "due_soon",
            "overdue",
            "suspended",
            "resumed",
            "extended",
        )
        state = self.rng.choices(states, weights=(40, 8, 14, 10, 14, 5, 4, 5))[0]
        return self._fit_state(case_type, state)

    @staticmethod
    def _fit_state(case_type: CaseType, state: str) -> str:
        if state in ("suspended", "resumed") and not case_type.allowed_suspensions:
            return "normal"
        if state == "extended" and not case_type.max_extension:
            return "overdue"
        return state

    def _due(self, case_type: CaseType, start: date) -> date | None:
        try:
            return due_date(start=start, period=case_type.period, roll_forward=case_type.roll_forward)
        except CalendarRangeError:
            return None

    def _start_for(self, case_type: CaseType, target: date) -> date | None:
        """The latest receipt date on or before today whose due date is not after `target`."""
        key = (case_type.code, target)
        if key not in self._start_cache:
            found = None
            for back in range(0, 500):
                start = self.today - timedelta(days=back)
                due = self._due(case_type, start)
                if due is not None and due <= target:
                    found = start
                    break
            self._start_cache[key] = found
        return self._start_cache[key]

    def _at(self, day: date, *, hours: tuple[int, ...] = WEEKDAY_HOURS) -> datetime:
        moment = datetime.combine(day, clock_time(self.rng.choice(hours), self.rng.randrange(60)))
        return timezone.make_aware(moment)

    def _received(self, case_type: CaseType, state: str) -> date:
        if state in ("closed", "closed_late"):
            for _ in range(20):
                start = self.today - timedelta(days=self.rng.randint(12, 200))
                if self._due(case_type, start) is not None:
                    return start
            return self.today - timedelta(days=200)
        warning_end = due_date(start=self.today, period=case_type.warning_period, roll_forward=False)
        if state == "overdue":
            target = self.today - timedelta(days=self.rng.randint(1, 20))
        elif state == "extended":  # a few days late when the extension is approved
            target = self.today - timedelta(days=self.rng.randint(1, 3))
        elif state == "due_soon":
            target = warning_end
        else:
            target = warning_end + timedelta(days=self.rng.randint(3, 25))
        return self._start_for(case_type, target) or self.today - timedelta(days=120)

    def plan_case(
        self, code: str, unit_key: str, boundary: str, title: str, description: str, *, state: str | None
    ) -> _Plan:
        case_type = self.case_types[code]
        showcase = state is not None
        state = self._fit_state(case_type, state) if state else self._pick_state(case_type)
        unit, street, community = self._place(unit_key)
        start = self._received(case_type, state)
        fields = {
            "community": community,
            "place": f"{street.county.name}{street.name}{community}",
            "street": street.name,
            "road": self.rng.choice(data.ROADS),
            "year": start.year,
        }
        co_units = []
        if boundary:
            co_units = [self.units[k] for k in self.boundary[boundary][1] if self.units[k].pk != unit.pk]
        if code == "hotline":  # the line takes calls from 7 to 22 every day
            actor, hours = self.users[f"hotline{self.rng.randint(1, 3)}"], tuple(range(7, 22))
        else:
            actor, hours = self.users["fazhiban"], WEEKDAY_HOURS
        return _Plan(
            case_type=case_type,
            state=state,
            showcase=showcase,
            title=title.format(**fields),
            description=description.format(**fields),
            unit=unit,
            co_units=co_units,
            actor=actor,
            received_at=self._at(start, hours=hours),
            confidential=code == "petition" and self.rng.random() < 0.25,
        )

    def open_case(self, plan: _Plan) -> Case:
        case = cases.case_open(
            case_type=plan.case_type,
            title=plan.title,
            description=plan.description,
            handling_unit=plan.unit,
            actor=plan.actor,
            received_at=plan.received_at,
            co_units=plan.co_units,
            is_confidential=plan.confidential,
        )
        handler = self.handlers[self._key_of(plan.unit)]
        if plan.state in ("closed", "closed_late"):
            self._close(case, handler, late=plan.state == "closed_late")
        else:
            self._work_on(case, handler, plan.state, plan.co_units, always_supervise=plan.showcase)
        return case

    def _close(self, case: Case, handler: User, *, late: bool) -> None:
        latest = self.today - timedelta(days=1)
        if late and case.due_date < latest:
            day = min(latest, case.due_date + timedelta(days=self.rng.randint(1, 10)))
        else:
            span = max(1, (min(case.due_date, latest) - case.start_date).days)
            day = case.start_date + timedelta(days=self.rng.randint(1, span))
        if self.rng.random() < 0.3:
            cases.case_comment(case=case, actor=handler, note=self.rng.choice(data.COMMENTS))
        cases.case_close(
            case=case,
            actor=handler,
            note=self.rng.choice(data.CLOSING_NOTES),
            closed_at=self._at(max(day, case.start_date)),
        )

    def _work_on(
        self, case: Case, handler: User, state: str, co_units: list[Unit], *, always_supervise: bool = False
    ) -> None:
        case_type = case.case_type
        stages = [s for s in case_type.stages.all() if not s.is_final]
        if len(stages) > 1 and self.rng.random() < 0.5:
            # A stage limit past the loaded calendar leaves the case in its first stage.
            with suppress(CalendarRangeError):
                cases.case_advance(case=case, actor=handler, to_stage=stages[1].code)
        if self.rng.random() < 0.4:
            author = handler
            if co_units and self.rng.random() < 0.5:
                author = self.handlers.get(self._key_of(co_units[0]), handler)
            cases.case_comment(case=case, actor=author, note=self.rng.choice(data.COMMENTS))
        if state in ("suspended", "resumed"):
            self._suspend(case, handler, resume=state == "resumed")
        elif state == "extended":
            self._extend(case, handler)
        if case.status == Case.Status.OPEN and (
            (state == "overdue" and self.rng.random() < 0.7)
            or (state == "due_soon" and self.rng.random() < 0.3)
        ):
            self._supervise(case, handler, overdue=state == "overdue")

    def _key_of(self, unit: Unit) -> str:
        if len(self._keys) != len(self.units):
            self._keys = {u.pk: k for k, u in self.units.items()}
        return self._keys[unit.pk]

    def _suspend(self, case: Case, handler: User, *, resume: bool) -> None:
        kind = case.case_type.allowed_suspensions[0]
        span = (self.today - case.start_date).days
        began = case.start_date + timedelta(days=min(span, self.rng.randint(1, 3)))
        reasons = {
            "awaiting": "诉求人要求待其出差返回后再现场查看，暂停计时",
            "suspended": "申请人申请中止审理，待相关民事诉讼结果作出后恢复",
            "correction": "报送材料不全，已通知补正",
            "appraisal": "需委托专业机构进行鉴定",
        }
        cases.case_suspend(
            case=case, actor=handler, kind=kind, reason=reasons.get(kind, "依法中止计时"), on=began
        )
        if resume:
            ended = min(self.today, began + timedelta(days=self.rng.randint(2, 6)))
            # A new due date past the loaded calendar leaves it suspended.
            with suppress(CalendarRangeError):
                cases.case_resume(case=case, actor=handler, on=ended, note="中止情形消除，恢复计时")
        case.refresh_from_db()

    def _extend(self, case: Case, handler: User) -> None:
        role = case.case_type.extension_approver_role
        key = self._key_of(case.handling_unit)
        approver = {
            Role.OPERATOR: self.users["hotline1"],
            Role.SUPERVISOR: self.users["fazhiban"],
            Role.UNIT_LEADER: self.leaders.get(key),
        }.get(role)
        if approver is None:
            return
        try:
            cases.case_extend(
                case=case,
                actor=approver,
                requested_by=handler,
                period=case.case_type.max_extension,
                reason="情况复杂，需要会同相关单位进一步调查核实",
            )
        except (CalendarRangeError, ValidationError):
            return  # beyond the loaded calendar or the type's ceiling: no extension
        case.refresh_from_db()

    def _supervise(self, case: Case, handler: User, *, overdue: bool) -> None:
        if overdue:
            level = self.rng.choice(
                (Supervision.Level.SUPERVISE, Supervision.Level.SUPERVISE, Supervision.Level.LISTED)
            )
            reason = data.SUPERVISION_REASONS[1 if level == Supervision.Level.SUPERVISE else 3]
        else:
            level, reason = Supervision.Level.URGE, data.SUPERVISION_REASONS[0]
        supervisor = self.users[self.rng.choice(("fazhiban", "ducha", "dubanshi"))]
        supervision = cases.supervision_issue(
            case=case,
            actor=supervisor,
            level=level,
            reason=reason,
            due=self.today + timedelta(days=self.rng.randint(3, 10)),
        )
        if self.rng.random() < 0.3:
            cases.supervision_resolve(
                supervision=supervision,
                actor=handler,
                resolution="已召开专题会议研究，明确责任人和完成时限，正在加紧办理。",
            )

    # -- the login table --------------------------------------------------------------------------------

    def showcase_logins(self) -> list[DemoLogin]:
        logins = []
        for role, username in data.SHOWCASE_LOGINS:
            user = self.users[username]
            _role, unit_name = self.roles_granted[username]
            logins.append(
                DemoLogin(
                    role=role,
                    role_label=Role(role).label,
                    username=username,
                    password=data.DEMO_PASSWORD,
                    full_name=user.full_name,
                    unit=unit_name,
                )
            )
        return logins


def _ordinal(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return f"第{digits[n]}"
    if n < 20:
        return f"第十{digits[n % 10] if n % 10 else ''}"
    return f"第{digits[n // 10]}十{digits[n % 10] if n % 10 else ''}"
