"""Document <-> form fields, both ways, with no I/O: what the browser sends becomes the raw
document the dataset service validates, and any (even invalid) raw document becomes form values.

Form data is ``{name: [values]}`` where names are document paths. Empty inputs, empty rows
and empty groups are dropped, so a blank "add another" row never becomes a problem; a value
that does not parse (a size of "12 kB") is kept as typed, so validation reports it beside its
field and the page shows it again unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from catalogue.domain.paths import get, put
from catalogue.ui.forms.controls import Spec
from catalogue.ui.forms.schema import NOTE, SECTIONS, TOP_LEVEL_SCALARS

FormData = dict[str, list[str]]
TRUE_VALUES = frozenset({"true", "on", "1", "yes"})
LANGUAGE = r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*"


def all_specs() -> Iterable[Spec]:
    """Every top-level control of the form, in page order."""
    for section in SECTIONS:
        yield from section.specs
    yield NOTE


# --- document -> form -----------------------------------------------------------------------


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write(spec: Spec, name: str, value: Any, form: FormData) -> None:
    if value is None:
        return
    if spec.kind == "langtext":
        if isinstance(value, Mapping):
            for language, text in value.items():
                if text not in (None, ""):
                    form[f"{name}.{language}"] = [str(text)]
    elif spec.kind == "checkbox":
        if value is True or (isinstance(value, str) and value.lower() in TRUE_VALUES):
            form[name] = ["true"]
    elif spec.kind == "checkboxes":
        values = value if isinstance(value, list) else [value]
        form[name] = [_scalar(item) for item in values if item not in (None, "")]
    elif spec.kind == "lines":
        values = value if isinstance(value, list) else [value]
        text = "\n".join(_scalar(item) for item in values if item not in (None, ""))
        if text:
            form[name] = [text]
    elif spec.kind == "group":
        if isinstance(value, Mapping):
            for child in spec.children:
                _write(child, f"{name}.{child.path}", value.get(child.path), form)
    elif spec.kind == "repeat":
        for index, row in enumerate(value if isinstance(value, list) else []):
            if isinstance(row, Mapping):
                for child in spec.children:
                    _write(child, f"{name}[{index}].{child.path}", row.get(child.path), form)
    elif value != "":
        form[name] = [_scalar(value)]


def document_to_form(document: Mapping[str, Any]) -> FormData:
    """Form values for a document (validated or raw), named by document path."""
    form: FormData = {}
    for name in TOP_LEVEL_SCALARS:
        if document.get(name) not in (None, ""):
            form[name] = [_scalar(document[name])]
    for spec in all_specs():
        _write(spec, spec.path, get(document, spec.path), form)
    return form


# --- form -> document -----------------------------------------------------------------------


def _first(form: Mapping[str, list[str]], name: str) -> str:
    values = form.get(name) or []
    return values[0].strip() if values else ""


def _languages(form: Mapping[str, list[str]], name: str) -> list[str]:
    pattern = re.compile(rf"^{re.escape(name)}\.({LANGUAGE})$")
    return [match.group(1) for key in form if (match := pattern.match(key))]


def _row_indices(form: Mapping[str, list[str]], name: str) -> list[int]:
    pattern = re.compile(rf"^{re.escape(name)}\[(\d+)\]\.")
    return sorted({int(match.group(1)) for key in form if (match := pattern.match(key))})


def _has_content(spec: Spec, value: Any) -> bool:
    """Whether a value says something: not empty, not unticked, not just the preset."""
    if value in (None, "", [], {}, False):
        return False
    return not (spec.default is not None and value == spec.default)


def _read(spec: Spec, name: str, form: Mapping[str, list[str]]) -> Any:
    if spec.kind == "langtext":
        languages = _languages(form, name)
        texts = {language: _first(form, f"{name}.{language}") for language in languages}
        return {language: text for language, text in texts.items() if text} or None
    if spec.kind == "checkbox":
        return _first(form, name).lower() in TRUE_VALUES
    if spec.kind == "checkboxes":
        values = [value.strip() for value in form.get(name) or [] if value.strip()]
        return list(dict.fromkeys(values)) or None
    if spec.kind == "lines":
        lines = [line.strip() for value in form.get(name) or [] for line in value.splitlines()]
        return list(dict.fromkeys(line for line in lines if line)) or None
    if spec.kind == "group":
        return _read_object(spec, f"{name}.", form)
    if spec.kind == "repeat":
        rows = [_read_object(spec, f"{name}[{index}].", form) for index in _row_indices(form, name)]
        return [row for row in rows if row is not None] or None
    text = _first(form, name)
    if spec.kind == "number" and text:
        return int(text) if re.fullmatch(r"\d+", text) else text
    return text or None


def _read_object(spec: Spec, prefix: str, form: Mapping[str, list[str]]) -> dict[str, Any] | None:
    values = {child.path: _read(child, prefix + child.path, form) for child in spec.children}
    if not any(_has_content(child, values[child.path]) for child in spec.children):
        return None
    return {key: value for key, value in values.items() if value not in (None, False)}


def form_to_document(form: Mapping[str, list[str]]) -> dict[str, Any]:
    """The raw document the form describes, for ``service.validate`` to judge."""
    document: dict[str, Any] = {}
    for name in TOP_LEVEL_SCALARS:
        if value := _first(form, name):
            document[name] = value
    for spec in all_specs():
        value = _read(spec, spec.path, form)
        if value not in (None, False):
            put(document, spec.path, value)
    link_services(document)
    return document


def service_choices(form: Mapping[str, list[str]]) -> list[tuple[str, str, str]]:
    """The data services of the form as a distribution's choices: a service with a short
    name by it, one without by its number (``#2``, named when the form is read)."""
    name = "technical.data_services"
    choices = []
    for number, index in enumerate(_row_indices(form, name), start=1):
        prefix = f"{name}[{index}]."
        key = _first(form, prefix + "id") or f"#{number}"
        titles = [_first(form, k) for k in sorted(form) if k.startswith(prefix + "title.")]
        label = next((t for t in titles if t), "") or _first(form, prefix + "endpoint_url")
        choices.append((key, f"Data service {number}" + (f": {label}" if label else ""), ""))
    return choices


def link_services(document: dict[str, Any]) -> None:
    """Give a short name to each service a distribution chose by its number (``#2``)."""
    technical = document.get("technical") or {}
    services = technical.get("data_services") or []
    taken = {service.get("id") for service in services}
    for distribution in technical.get("distributions") or []:
        wanted = str(distribution.get("access_service") or "")
        if not re.fullmatch(r"#\d+", wanted):
            continue
        number = int(wanted[1:])
        if not 1 <= number <= len(services):
            continue  # left as chosen: validation names it beside the field
        service = services[number - 1]
        if not service.get("id"):
            key, count = f"service-{number}", number
            while key in taken:
                count += 1
                key = f"service-{count}"
            service["id"] = key
            taken.add(key)
        distribution["access_service"] = service["id"]


def form_from_multidict(items: Iterable[tuple[str, Any]]) -> FormData:
    """Collect a submitted form (name/value pairs, repeated names allowed) as ``FormData``."""
    form: FormData = {}
    for name, value in items:
        if isinstance(value, str):
            form.setdefault(name, []).append(value)
    return form
