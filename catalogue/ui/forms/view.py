"""What the dataset form template draws: sections of labelled controls with values and errors.

Pure: the caller supplies the choice lists (vocabularies, organisations) and the problems.
Each ``Problem.field`` path is matched to the nearest control (``title`` -> ``title.en``,
``technical.distributions`` -> the first distribution's first field), so every message appears
beside something a keyboard user can reach, and in the summary at the top.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from catalogue.domain.problems import Problem
from catalogue.i18n import N_, translate
from catalogue.ui.forms.choice_lists import Choices
from catalogue.ui.forms.controls import Section
from catalogue.ui.forms.mapping import FormData, service_choices
from catalogue.ui.forms.schema import NOTE, SECTIONS, SLUG
from catalogue.ui.forms.technical_controls import SERVICE_CHOICES
from catalogue.ui.forms.view_builder import FormViewBuilder
from catalogue.ui.forms.view_parts import Container, Control, FormView, SummaryItem, Wrapper

ROWS_FIELD = "_rows."
FOLD_ROWS = 3  # a repeat with more rows than this shows each filled-in row folded


def _parent(path: str) -> str:
    if path.endswith("]"):
        return path[: path.rindex("[")]
    return path.rsplit(".", 1)[0] if "." in path else ""


def locate(path: str, names: Sequence[str], containers: Iterable[str]) -> str | None:
    """The control (or container) a problem path belongs to; the nearest one if none is exact."""
    containers = set(containers)
    candidate = path
    while candidate:
        for name in names:
            if name == candidate or name.startswith((f"{candidate}.", f"{candidate}[")):
                return name
        if candidate in containers:
            return candidate
        candidate = _parent(candidate)
    return None


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] if message else message


def build_form(
    form: FormData,
    *,
    classification: str,
    choices: Choices,
    languages: Sequence[str],
    problems: Sequence[Problem] = (),
    rows: Mapping[str, int] | None = None,
    new: bool = False,
    sections: Sequence[Section] = SECTIONS,
    note: bool = True,
) -> FormView:
    """The whole form with values, the problems placed beside their fields, and a summary.

    ``new``: the slug is still to be chosen (it cannot change once the dataset exists).
    ``sections``: the part of the form on this page; ``note``: whether it has the internal note.
    """
    choices = {**choices, SERVICE_CHOICES: service_choices(form)}
    builder = FormViewBuilder(form, choices, languages, classification, rows or {})
    slug = builder.control(SLUG, "slug", "About the dataset", True, True) if new else None
    views = [builder.section(section) for section in sections]
    note_control = (
        builder.control(NOTE, NOTE.path, translate(N_("About the dataset")), False, True)
        if note
        else None
    )
    by_name = {control.name: control for control in builder.controls}
    names = [control.name for control in builder.controls]
    summary: list[SummaryItem] = []
    for problem in problems:
        if problem.severity != "error":
            continue
        target = locate(problem.field, names, builder.containers)
        message = _sentence(problem.message)
        if target in by_name:
            control = by_name[target]
            control.errors.append(message)
            summary.append(
                SummaryItem(
                    f"#{control.anchor}",
                    f"{control.context}: {control.label}"
                    if control.context not in control.label
                    else control.label,
                    message,
                )
            )
        elif target in builder.containers:
            container = builder.containers[target]
            container.errors.append(message)
            summary.append(SummaryItem(f"#{container.id}", container.label, message))
        else:
            summary.append(SummaryItem("", problem.field, message))
    for container in builder.containers.values():
        if container.kind == "repeat" and len(container.rows) > FOLD_ROWS:
            for row in container.rows:
                fold(row)
    return FormView(views, note_control, slug, summary, builder.rows)


def _walk(item: Any) -> Iterable[Any]:
    yield item
    if isinstance(item, Wrapper):
        yield from _walk(item.item)
    elif isinstance(item, Container):
        for child in [*item.items, *item.rows]:
            yield from _walk(child)
    elif isinstance(item, Control):
        yield from item.parts


def fold(row: Container) -> None:
    """Fold a filled-in row without problems; its title is its first value (a name, a title)."""
    inside = list(_walk(row))
    values = [
        item.value.strip()
        for item in inside
        if isinstance(item, Control) and item.kind in {"text", "url"} and item.value.strip()
    ]
    problems = any(item.errors for item in inside if isinstance(item, Control | Container))
    row.title = values[0] if values else ""
    row.open = problems or not values


def rows_requested(form: Mapping[str, list[str]]) -> dict[str, int]:
    """How many rows each repeatable part had on the page (blank ones included)."""
    rows = {}
    for key, values in form.items():
        if key.startswith(ROWS_FIELD) and values and values[0].isdigit():
            rows[key[len(ROWS_FIELD) :]] = min(int(values[0]), 500)
    return rows
