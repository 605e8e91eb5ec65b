"""What a control of the dataset form is, and how controls group into the form's sections.

The declarations (``schema.py``, ``technical_controls.py``, ``legal_controls.py``) are built
of these; the mapping and the page read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal[
    "text",
    "textarea",
    "url",
    "email",
    "date",
    "number",
    "duration",
    "select",
    "checkboxes",
    "checkbox",
    "lines",
    "langtext",
    "group",
    "repeat",
]


@dataclass(frozen=True)
class Spec:
    """One control, or a group (``children``) of them; ``repeat`` groups form rows."""

    path: str
    label: str
    kind: Kind
    help: str = ""
    choices: str | None = None  # a vocabulary key, or a key of the extra choice lists
    classes: frozenset[str] | None = None
    required: frozenset[str] = frozenset()  # classifications whose rules need it to publish
    default: str | None = None  # a preset value that alone does not make a row worth keeping
    children: tuple[Spec, ...] = ()
    item_label: str = ""  # "Distribution" -> "Distribution 1"
    min_rows: int = 0
    secondary_languages_folded: bool = True

    @property
    def is_container(self) -> bool:
        return self.kind in {"group", "repeat"}


@dataclass(frozen=True)
class Section:
    id: str
    legend: str
    intro: str
    specs: tuple[Spec, ...]
    classes: frozenset[str] | None = None
    level: bool = True  # one of the four levels (else: the basics)


def contact_group(path: str, label: str, help: str, required: frozenset[str] = frozenset()) -> Spec:
    """A contact's group of controls (name, e-mail, web page): the form asks for several."""
    return Spec(
        path,
        label,
        "group",
        help,
        required=required,
        children=(
            Spec("name", "Name", "text", "A team or role rather than a person, if you can."),
            Spec("email", "E-mail address", "email"),
            Spec("url", "Web page or contact form", "url", "The full address, starting https://"),
        ),
    )
