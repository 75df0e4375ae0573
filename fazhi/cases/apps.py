from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "fazhi.cases"
    label = "cases"
    verbose_name = "案件引擎"

    def ready(self) -> None:
        # The registers sit below the case engine, so they call it back through this hook
        # instead of importing it (docs/adr/0006-reorganisation-hook.md).
        from fazhi.cases.services import cases_follow_calendar, cases_follow_reorganisation
        from fazhi.core.services import on_calendar_changed
        from fazhi.org.services import on_unit_reorganised

        on_unit_reorganised(cases_follow_reorganisation)
        # Likewise the work calendar: an edited day moves the deadlines counted over it.
        on_calendar_changed(cases_follow_calendar)
