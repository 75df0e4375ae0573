from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "fazhi.suggestions"
    label = "suggestions"
    verbose_name = "司法建议、检察建议、人大代表建议和政协提案"
