from datetime import date

from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "fazhi.legal"
    label = "legal"
    verbose_name = "行政复议与行政应诉"

    def daily_sweep(self, *, today: date | None = None) -> str:
        """Run by `fazhi sweep`: lapsed acceptance reviews become 视为受理; respondents are reminded
        of answers coming due or overdue."""
        from fazhi.legal.services import answer_reminders_sweep, lapsed_reviews_sweep

        done = lapsed_reviews_sweep(today=today)
        reminded = answer_reminders_sweep(today=today)
        line = (
            f"视为受理 {done['deemed']} 件；提醒被申请人答复临期 {reminded['due_soon']} 件、"
            f"超期 {reminded['overdue']} 件。"
        )
        if done["skipped"]:
            line += f"{done['skipped']} 件因决定期限超出已载入的工作日历而未处理，请先维护下一年度日历。"
        return line
