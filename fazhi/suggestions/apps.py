from datetime import date

from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "fazhi.suggestions"
    label = "suggestions"
    verbose_name = "司法建议、检察建议、人大代表建议和政协提案"

    def daily_sweep(self, *, today: date | None = None) -> str:
        """Run by `fazhi sweep`: overdue replies and answers get the escalation rules' supervision."""
        from fazhi.suggestions.services import overdue_escalate

        counts = overdue_escalate(today=today)
        return (
            f"发出督办 {counts['issued']} 件；督办人无权督办的 {counts['refused']} 件；"
            f"期限超出工作日历的 {counts['beyond_calendar']} 件。"
        )
