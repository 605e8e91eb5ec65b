"""The parts of the dataset form as its template draws them: controls, containers of controls,
sections and the error summary. Plain data: :mod:`catalogue.ui.forms.view_builder` fills them in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LONG_LIST = 16  # more choices than this: a searchable chooser over a <select multiple>


@dataclass
class Choice:
    value: str
    label: str
    help: str
    selected: bool
    id: str = ""


@dataclass
class Control:
    kind: str
    name: str
    id: str
    label: str
    context: str  # where it sits, for the error summary: "Distribution 1"
    help: str = ""
    required: bool = False
    value: str = ""
    choices: list[Choice] = field(default_factory=list)
    parts: list[Control] = field(default_factory=list)  # one per language
    language: str = ""
    folded: bool = False  # a secondary language shown under "Other languages"
    show_definitions: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def hint_id(self) -> str:
        return f"{self.id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.id}-error"

    @property
    def describedby(self) -> str:
        ids = [self.hint_id] if self.help else []
        return " ".join([*ids, self.error_id] if self.errors else ids)

    @property
    def chooser(self) -> bool:
        """A long list of choices: one searchable ``<select multiple>``, not a wall of boxes."""
        return self.kind == "checkboxes" and len(self.choices) > LONG_LIST

    @property
    def anchor(self) -> str:
        """Where the error summary links: the first checkbox of a group, else the control."""
        if self.kind == "checkboxes" and self.choices and not self.chooser:
            return self.choices[0].id
        return self.id


@dataclass
class Container:
    kind: str  # group | repeat | row
    name: str
    id: str
    label: str
    help: str = ""
    required: bool = False
    items: list[Any] = field(default_factory=list)
    rows: list[Container] = field(default_factory=list)
    template: Container | None = None  # a blank row for the "add another" script
    index: int = 0
    item_label: str = ""
    errors: list[str] = field(default_factory=list)
    open: bool = True  # a row of a long repeat is folded (one Tab stop) unless it needs work
    title: str = ""  # what the folded row shows: its first text value


@dataclass
class Wrapper:
    """A part asked only for some classifications; hidden (and disabled) for the others."""

    classes: str
    visible: bool
    item: Any
    kind: str = "wrapper"


@dataclass
class SectionView:
    id: str
    legend: str
    intro: str
    level: bool
    classes: str
    visible: bool
    items: list[Any]


@dataclass
class SummaryItem:
    href: str
    label: str
    message: str


@dataclass
class FormView:
    sections: list[SectionView]
    note: Control | None
    slug: Control | None
    summary: list[SummaryItem]
    rows: dict[str, int]
