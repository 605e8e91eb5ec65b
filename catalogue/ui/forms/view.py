"""What the dataset form template draws: sections of labelled controls with values and errors.

Pure: the caller supplies the choice lists (vocabularies, organisations) and the problems.
Each ``Problem.field`` path is matched to the nearest control (``title`` -> ``title.en``,
``technical.distributions`` -> the first distribution's first field), so every message appears
beside something a keyboard user can reach, and in the summary at the top.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from catalogue.domain.problems import Problem
from catalogue.i18n import N_, translate
from catalogue.i18n.legal import legal_label
from catalogue.ui.forms.controls import Section, Spec
from catalogue.ui.forms.mapping import FormData, service_choices
from catalogue.ui.forms.schema import NOTE, SECTIONS, SLUG
from catalogue.ui.forms.technical_controls import SERVICE_CHOICES
from catalogue.vocabularies import Vocabularies

LANGUAGE_NAMES = {
    "en": N_("English"),
    "sl": N_("Slovenian"),
    "de": N_("German"),
    "it": N_("Italian"),
    "hu": N_("Hungarian"),
    "hr": N_("Croatian"),
    "fr": N_("French"),
}
ROWS_FIELD = "_rows."
INDEX_PLACEHOLDER = "__INDEX__"
LONG_TEXT_NAMES = frozenset({"description", "rights", "reason", "how_to_request", "text"})
SMALL_LIST = 40  # show definitions under each choice up to this many choices
LONG_LIST = 16  # more choices than this: a searchable chooser over a <select multiple>
FOLD_ROWS = 3  # a repeat with more rows than this shows each filled-in row folded
Choices = Mapping[str, Sequence[tuple[str, str, str]]]  # key -> (code, label, help)


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


def field_id(name: str) -> str:
    """``technical.distributions[0].access_url`` -> ``f-technical-distributions-0-access_url``."""
    return "f-" + re.sub(r"[^A-Za-z0-9_]+", "-", name).strip("-")


def language_name(code: str) -> str:
    return translate(LANGUAGE_NAMES[code]) if code in LANGUAGE_NAMES else code.upper()


def vocabulary_choices(
    vocabularies: Vocabularies, key: str, lang: str
) -> list[tuple[str, str, str]]:
    """(code, label, definition) in label order; a label shared by two codes names the code."""
    concepts = list(vocabularies[key].concepts.values())
    labels = [legal_label(key, concept.code, lang) or concept.label(lang) for concept in concepts]
    items = []
    for concept, label in zip(concepts, labels, strict=True):
        text = label[:1].upper() + label[1:]
        if labels.count(label) > 1:
            text = f"{text} ({concept.code})"
        definition = concept.definition(lang)
        items.append((concept.code, text, definition))
    return sorted(items, key=lambda item: item[1].casefold())


class _Builder:
    def __init__(
        self,
        form: FormData,
        choices: Choices,
        languages: Sequence[str],
        classification: str,
        rows: Mapping[str, int],
    ) -> None:
        self.form = form
        self.choices = choices
        self.languages = list(languages)
        self.classification = classification
        self.rows = dict(rows)
        self.controls: list[Control] = []
        self.containers: dict[str, Container] = {}

    def values(self, name: str) -> list[str]:
        return self.form.get(name) or []

    def has_content(self, name: str) -> bool:
        return any(
            key == name or key.startswith((f"{name}.", f"{name}["))
            for key, values in self.form.items()
            if any(value.strip() for value in values)
        )

    def item(self, spec: Spec, name: str, context: str, register: bool = True) -> Any:
        required = self.classification in spec.required
        if spec.kind == "group":
            group = Container(
                "group", name, field_id(name), translate(spec.label), translate(spec.help), required
            )
            group.items = [
                self.item(child, f"{name}.{child.path}", translate(spec.label), register)
                for child in spec.children
            ]
            if register:
                self.containers[name] = group
            return group
        if spec.kind == "repeat":
            return self.repeat(spec, name, required)
        return self.control(spec, name, context, required, register)

    def repeat(self, spec: Spec, name: str, required: bool) -> Container:
        pattern = re.compile(rf"^{re.escape(name)}\[(\d+)\]\.")
        indices = {int(m.group(1)) for key in self.form if (m := pattern.match(key))}
        count = max([index + 1 for index in indices] + [spec.min_rows, self.rows.get(name, 0)])
        self.rows[name] = count
        repeat = Container(
            "repeat",
            name,
            field_id(name),
            translate(spec.label),
            translate(spec.help),
            required,
            item_label=translate(spec.item_label),
        )
        for index in range(count):
            repeat.rows.append(self.row(spec, name, index, str(index + 1), register=True))
        repeat.template = self.row(spec, name, INDEX_PLACEHOLDER, "", register=False)
        self.containers[name] = repeat
        return repeat

    def row(
        self, spec: Spec, name: str, index: int | str, number: str, register: bool
    ) -> Container:
        row_name = f"{name}[{index}]"
        label = f"{translate(spec.item_label)} {number}".strip()
        row = Container(
            "row",
            row_name,
            field_id(row_name),
            label,
            index=index if isinstance(index, int) else -1,
            item_label=translate(spec.item_label),
        )
        row.items = [
            self.item(child, f"{row_name}.{child.path}", label, register) for child in spec.children
        ]
        return row

    def control(
        self, spec: Spec, name: str, context: str, required: bool, register: bool
    ) -> Control:
        control = Control(
            spec.kind,
            name,
            field_id(name),
            translate(spec.label),
            context,
            translate(spec.help),
            required,
        )
        if spec.kind == "langtext":
            present = [lang for lang in self.languages]
            prefix = f"{name}."
            present += [
                key[len(prefix) :]
                for key in self.form
                if key.startswith(prefix)
                and key[len(prefix) :] not in present
                and re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", key[len(prefix) :])
            ]
            long_text = name.rsplit(".", 1)[-1] in LONG_TEXT_NAMES
            for position, lang in enumerate(present):
                part_name = f"{name}.{lang}"
                part = Control(
                    "textarea" if long_text else "text",
                    part_name,
                    field_id(part_name),
                    f"{translate(spec.label)} ({language_name(lang)})",
                    context,
                    help=translate(spec.help) if position == 0 else "",
                    required=required and position == 0,
                    value=(self.values(part_name) or [""])[0],
                    language=lang,
                    folded=spec.secondary_languages_folded
                    and position > 0
                    and not self.values(part_name),
                )
                control.parts.append(part)
                if register:
                    self.controls.append(part)
            return control
        if spec.kind in {"select", "checkboxes"}:
            selected = set(self.values(name))
            if spec.default and not selected:
                selected = {spec.default}
            options = list(self.choices.get(spec.choices or "", ()))
            known = {code for code, _, _ in options}
            options += [
                (value, f"{value} (not in the list)", "")
                for value in self.values(name)
                if value and value not in known
            ]
            control.show_definitions = len(options) <= SMALL_LIST
            if spec.kind == "checkboxes":
                # Chosen ones first, so a long list shows what is ticked without scrolling.
                options.sort(key=lambda option: option[0] not in selected)
            control.choices = [
                Choice(code, label, help, code in selected, f"{control.id}-{position}")
                for position, (code, label, help) in enumerate(options)
            ]
        else:
            control.value = (self.values(name) or [""])[0]
        if register:
            self.controls.append(control)
        return control

    def wrap(self, spec: Spec, item: Any) -> Any:
        if spec.classes is None:
            return item
        visible = self.classification in spec.classes or self.has_content(spec.path)
        return Wrapper(" ".join(sorted(spec.classes)), visible, item)

    def section(self, section: Section) -> SectionView:
        items = [
            self.wrap(spec, self.item(spec, spec.path, translate(section.legend)))
            for spec in section.specs
        ]
        classes = " ".join(sorted(section.classes)) if section.classes else ""
        visible = (
            section.classes is None
            or self.classification in section.classes
            or any(self.has_content(spec.path) for spec in section.specs)
        )
        return SectionView(
            section.id,
            translate(section.legend),
            translate(section.intro),
            section.level,
            classes,
            visible,
            items,
        )


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
    builder = _Builder(form, choices, languages, classification, rows or {})
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
