"""A consultation's results: counted answers only, one chart per question with choices,
and the free answers the animator chose to show.

The charts are horizontal bars drawn on the server as SVG (``consultations/includes/
chart.html``), with a title, a description and the data table beside them: readable
without JavaScript, by a screen reader (the table), and on a phone. Written by hand: the
chart libraries for Python (pygal, matplotlib) either add scripts and tooltips or draw
images without text; a bar per option is a loop in a template.

Questions never shown publicly: e-mail and web addresses, numbers, dates (personal or
unsuited to a chart). Free text shows only the answers picked by the animator.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from wagtail.contrib.forms.forms import FormBuilder

from consultations.form_builder import SCALE_POINTS
from consultations.models import SCALE, ConsultationAnswer, ConsultationField, ConsultationPage

CHARTED = ("radio", "dropdown", "checkboxes", "multiselect", "checkbox", SCALE)
MULTIPLE = ("checkboxes", "multiselect")
FREE = ("singleline", "multiline")

# Geometry of the SVG (user units; the SVG scales to its column's width).
CHART_WIDTH = 400
LABEL_WIDTH_CHARS = 48
ROW_HEIGHT = 44
BAR_HEIGHT = 16
BAR_MAX = 300


@dataclass
class Bar:
    """One option of a question: how many counted answers chose it, and where its bar is."""

    label: str
    count: int
    percent: int
    y: int = 0
    width: int = 0

    @property
    def short_label(self) -> str:
        if len(self.label) <= LABEL_WIDTH_CHARS:
            return self.label
        return self.label[: LABEL_WIDTH_CHARS - 1] + "…"

    @property
    def text_y(self) -> int:
        return self.y - 6

    @property
    def count_x(self) -> int:
        return self.width + 6


@dataclass
class QuestionResult:
    """What the results page shows of one question."""

    label: str
    clean_name: str
    respondents: int
    multiple: bool = False
    bars: list[Bar] = field(default_factory=list)
    free_answers: list[str] = field(default_factory=list)

    @property
    def charted(self) -> bool:
        return bool(self.bars)

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.bars) + 4

    @property
    def description(self) -> str:
        parts = [f"{bar.label} : {bar.count} ({bar.percent} %)" for bar in self.bars]
        return "; ".join(parts) + "."


def _options(question: ConsultationField) -> list[str]:
    if question.field_type == SCALE:
        return [str(n) for n in range(1, SCALE_POINTS + 1)]
    if question.field_type == "checkbox":
        return [_("Oui"), _("Non")]
    return [
        value for value, _label in FormBuilder([]).get_formatted_field_choices(question) if value
    ]


def _chosen(question: ConsultationField, value: object) -> list[str]:
    if question.field_type == "checkbox":
        return [_("Oui") if value else _("Non")]
    if value in (None, "", []):
        return []
    if isinstance(value, list):
        return [str(item) for item in value]
    return [str(value)]


def _bars(question: ConsultationField, answers: list[dict]) -> tuple[list[Bar], int]:
    counts: Counter[str] = Counter()
    respondents = 0
    for data in answers:
        chosen = _chosen(question, data.get(question.clean_name))
        if chosen:
            respondents += 1
            counts.update(chosen)
    options = _options(question)
    # An option renamed after answers came keeps its answers, under its old name.
    options += sorted(label for label in counts if label not in options)
    bars = []
    for row, label in enumerate(options):
        count = counts.get(label, 0)
        percent = round(100 * count / respondents) if respondents else 0
        bars.append(
            Bar(
                label=label,
                count=count,
                percent=percent,
                y=row * ROW_HEIGHT + 24,
                width=round(BAR_MAX * count / respondents) if respondents else 0,
            )
        )
    return bars, respondents


def consultation_results(page: ConsultationPage) -> tuple[int, list[QuestionResult]]:
    """(number of counted answers, each shown question's results) for ``page``."""
    answers = list(
        ConsultationAnswer.objects.filter(page=page)
        .counted()
        .order_by("counted_at", "pk")
        .values_list("form_data", "shown_free_answers")
    )
    data = [form_data for form_data, _shown in answers]
    results = []
    for question in page.get_form_fields():
        if question.field_type in CHARTED:
            bars, respondents = _bars(question, data)
            results.append(
                QuestionResult(
                    label=question.label,
                    clean_name=question.clean_name,
                    respondents=respondents,
                    multiple=question.field_type in MULTIPLE,
                    bars=bars,
                )
            )
        elif question.field_type in FREE:
            shown = [
                str(form_data.get(question.clean_name) or "").strip()
                for form_data, names in answers
                if question.clean_name in names
            ]
            results.append(
                QuestionResult(
                    label=question.label,
                    clean_name=question.clean_name,
                    respondents=sum(1 for d in data if d.get(question.clean_name)),
                    free_answers=[text for text in shown if text],
                )
            )
    return len(answers), results
