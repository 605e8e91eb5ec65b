"""The dataset form as a task list: the pages a steward fills one at a time, and their status.

Pure. Each page holds some of the form's top-level parts (``schema.SECTIONS`` regrouped:
the technical level is split into "files and APIs" and "attributes", the publisher is asked
with the basics so that the first page can create the draft). A rule's problem path names
its page (``page_of``), and a page's status is derived from the document and the problems:
nothing filled in, filled in but something still needed, filled in and complete; after a
refused publish, a page with problems says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from catalogue.domain.fieldspec import ONLY_PERSONAL
from catalogue.domain.problems import Problem
from catalogue.i18n import N_
from catalogue.ui.forms.controls import Section, Spec
from catalogue.ui.forms.mapping import FormData
from catalogue.ui.forms.schema import (
    BASICS,
    LEGAL,
    NOTE,
    ORGANISATIONAL,
    PERSONAL_DATA,
    SEMANTIC,
    TECHNICAL,
)

NOT_STARTED = "not-started"
IN_PROGRESS = "in-progress"
COMPLETED = "completed"
HAS_PROBLEMS = "has-problems"
STATUS_LABELS = {
    NOT_STARTED: N_("Not started"),
    IN_PROGRESS: N_("In progress"),
    COMPLETED: N_("Completed"),
    HAS_PROBLEMS: N_("Has problems"),
}


@dataclass(frozen=True)
class Page:
    """One page of the task list: a title, a short "what this is" and its form sections."""

    id: str
    title: str
    intro: str
    sections: tuple[Section, ...]
    classes: frozenset[str] | None = None  # asked only for these classifications

    @property
    def specs(self) -> tuple[Spec, ...]:
        return tuple(spec for section in self.sections for spec in section.specs)

    @property
    def paths(self) -> tuple[str, ...]:
        extra = ("classification", NOTE.path) if self.id == "basics" else ()
        return (*extra, *(spec.path for spec in self.specs))


def _part(section: Section, paths: Iterable[str], **kwargs: str) -> Section:
    wanted = set(paths)
    return Section(
        kwargs.get("id", section.id),
        kwargs.get("legend", section.legend),
        kwargs.get("intro", section.intro),
        tuple(spec for spec in section.specs if spec.path in wanted),
        section.classes,
        section.level,
    )


def _without(section: Section, paths: Iterable[str]) -> Section:
    unwanted = set(paths)
    return _part(section, (s.path for s in section.specs if s.path not in unwanted))


PUBLISHER = "organisational.publisher"
ATTRIBUTES = "technical.attributes"

PAGES: tuple[Page, ...] = (
    Page(
        "basics",
        N_("About the dataset"),
        N_("Its name, what it holds and who publishes it. Saving this page creates the draft."),
        (
            Section(
                BASICS.id,
                BASICS.legend,
                BASICS.intro,
                (*BASICS.specs, *_part(ORGANISATIONAL, [PUBLISHER]).specs),
                level=False,
            ),
        ),
    ),
    Page(
        "files",
        N_("Files and APIs"),
        N_("How people get the data: files to download, APIs, the period and area it covers."),
        (_without(TECHNICAL, [ATTRIBUTES]),),
    ),
    Page(
        "attributes",
        N_("Attributes"),
        N_("The columns each record has, with their types and meaning."),
        (_part(TECHNICAL, [ATTRIBUTES], id="attributes", legend=N_("Attributes"), intro=""),),
    ),
    Page(
        "semantic",
        N_("Subject and standards"),
        N_("What the data is about, its keywords and the standards it follows."),
        (SEMANTIC,),
    ),
    Page(
        "organisational",
        N_("Responsibility"),
        N_("Who looks after the data and whom people can ask about it."),
        (_without(ORGANISATIONAL, [PUBLISHER]),),
    ),
    Page(
        "legal",
        N_("Access and licence"),
        N_("Who may use the data, and on what terms."),
        (LEGAL,),
    ),
    Page(
        "personal",
        N_("Personal data (GDPR)"),
        N_("The facts the GDPR asks a controller to state about the processing."),
        (PERSONAL_DATA,),
        classes=ONLY_PERSONAL,
    ),
)
PAGE_IDS = tuple(page.id for page in PAGES)


def page(page_id: str) -> Page | None:
    return next((one for one in PAGES if one.id == page_id), None)


def owns(paths: Iterable[str], key: str) -> bool:
    """Whether a form key (``technical.distributions[0].title.en``) is under one of the paths."""
    return any(key == path or key.startswith((f"{path}.", f"{path}[")) for path in paths)


def has_content(form: Mapping[str, list[str]], paths: Iterable[str]) -> bool:
    paths = tuple(paths)
    return any(
        owns(paths, key) and any(value.strip() for value in values)
        for key, values in form.items()
        if key not in {"classification", "slug", "status"}
    )


def pages_for(classification: str, form: Mapping[str, list[str]]) -> list[Page]:
    """The pages a dataset of this classification has (a page for another one that holds
    values stays, so nothing typed is out of reach)."""
    return [
        one
        for one in PAGES
        if one.classes is None or classification in one.classes or has_content(form, one.paths)
    ]


def page_of(path: str) -> str:
    """The page a problem's field belongs to; the basics for the dataset as a whole."""
    best, length = "basics", 0
    for one in PAGES:
        for owned in one.paths:
            if (owns([owned], path) or owns([path], owned)) and len(owned) > length:
                best, length = one.id, len(owned)
    return best


def merge(stored: FormData, typed: Mapping[str, list[str]], one: Page) -> FormData:
    """The stored form with this page's parts replaced by what was typed on it."""
    kept = {key: values for key, values in stored.items() if not owns(one.paths, key)}
    return {**kept, **{key: list(values) for key, values in typed.items()}}


def next_page(current: str, pages: Sequence[Page]) -> Page | None:
    ids = [one.id for one in pages]
    if current not in ids:
        return None
    index = ids.index(current) + 1
    return pages[index] if index < len(pages) else None


@dataclass
class Task:
    page: Page
    status: str
    problems: list[Problem]


def tasks(
    form: Mapping[str, list[str]],
    classification: str,
    problems: Sequence[Problem],
    *,
    refused: bool = False,
) -> list[Task]:
    """Each page with its status and the (blocking) problems found on it.

    ``refused``: a publish was just refused, so a page with problems says "has problems".
    """
    found: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.severity == "error":
            found.setdefault(page_of(problem.field), []).append(problem)
    result = []
    for one in pages_for(classification, form):
        own = found.get(one.id, [])
        filled = has_content(form, [p for p in one.paths if p != "classification"])
        if own and refused:
            status = HAS_PROBLEMS
        elif not filled:
            status = NOT_STARTED
        elif own:
            status = IN_PROGRESS
        else:
            status = COMPLETED
        result.append(Task(one, status, own))
    return result
