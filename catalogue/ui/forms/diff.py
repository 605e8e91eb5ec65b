"""The fields that differ between two versions of a dataset form, in words a steward reads.

Used when an edit arrives stale: the page shows "your version" beside "the current version"
for every field that differs, so nothing is overwritten and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from catalogue.ui.forms.choice_lists import Choices
from catalogue.ui.forms.mapping import FormData
from catalogue.ui.forms.view import build_form
from catalogue.ui.forms.view_parts import Container, Control, FormView, Wrapper


@dataclass(frozen=True)
class ChangedField:
    name: str
    label: str
    yours: str
    current: str


def _controls(items: Sequence[object]) -> list[Control]:
    found: list[Control] = []
    for item in items:
        if isinstance(item, Wrapper):
            found += _controls([item.item])
        elif isinstance(item, Container):
            found += _controls(item.items)
            for row in item.rows:
                found += _controls(row.items)
        elif isinstance(item, Control):
            found += item.parts if item.parts else [item]
    return found


def readable_fields(view: FormView) -> dict[str, tuple[str, str]]:
    """name -> (label with its place, the value as shown: choice labels, not codes)."""
    result: dict[str, tuple[str, str]] = {}
    controls = [control for section in view.sections for control in _controls(section.items)]
    for control in [*controls, *([view.note] if view.note else [])]:
        if control.choices:
            shown = "; ".join(choice.label for choice in control.choices if choice.selected)
        elif control.kind == "checkbox":
            shown = "Yes" if control.value.lower() in {"true", "on", "1"} else "No"
        else:
            shown = control.value
        label = (
            control.label
            if control.context in control.label
            else (f"{control.context}: {control.label}")
        )
        result[control.name] = (label, shown)
    return result


def changed_fields(
    yours: FormData,
    current: FormData,
    *,
    classification: str,
    choices: Choices,
    languages: Sequence[str],
) -> list[ChangedField]:
    """Every field whose shown value differs, in the order of the form."""
    mine = readable_fields(
        build_form(yours, classification=classification, choices=choices, languages=languages)
    )
    theirs = readable_fields(
        build_form(current, classification=classification, choices=choices, languages=languages)
    )
    changes = []
    for name in dict.fromkeys([*mine, *theirs]):
        label, mine_value = mine.get(name, (theirs.get(name, ("", ""))[0], ""))
        their_value = theirs.get(name, (label, ""))[1]
        if mine_value.strip() != their_value.strip():
            changes.append(ChangedField(name, label, mine_value, their_value))
    return changes
