"""Builds the form's parts from a declaration: one control per field, with its submitted
value, its choices and, for a text in several languages, one part per language.

The problems are placed afterwards (:func:`catalogue.ui.forms.view.build_form`), so the builder
registers every control and container by name for them to be found.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from catalogue.i18n import N_, translate
from catalogue.ui.forms.choice_lists import Choices
from catalogue.ui.forms.controls import Section, Spec
from catalogue.ui.forms.mapping import FormData
from catalogue.ui.forms.view_parts import Choice, Container, Control, SectionView, Wrapper

LANGUAGE_NAMES = {
    "en": N_("English"),
    "sl": N_("Slovenian"),
    "de": N_("German"),
    "it": N_("Italian"),
    "hu": N_("Hungarian"),
    "hr": N_("Croatian"),
    "fr": N_("French"),
}
INDEX_PLACEHOLDER = "__INDEX__"
LONG_TEXT_NAMES = frozenset({"description", "rights", "reason", "how_to_request", "text"})
SMALL_LIST = 40  # show definitions under each choice up to this many choices


def field_id(name: str) -> str:
    """``technical.distributions[0].access_url`` -> ``f-technical-distributions-0-access_url``."""
    return "f-" + re.sub(r"[^A-Za-z0-9_]+", "-", name).strip("-")


def language_name(code: str) -> str:
    return translate(LANGUAGE_NAMES[code]) if code in LANGUAGE_NAMES else code.upper()


class FormViewBuilder:
    """Collects the controls and containers it builds, for the problems to be placed beside."""

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
