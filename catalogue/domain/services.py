"""Data services and high-value datasets: the links between a dataset's parts, and the HVD rules.

A distribution names the data service that serves it (``access_service``: the service's
``id``); a service may serve other datasets too (``serves``). :func:`link_problems` checks the
links on every save, drafts included (a dangling link is never stored). The HVD rules say
what Implementing Regulation (EU) 2023/138 and the DCAT-AP HVD 3.0.0 shapes expect of a
high-value dataset (one with an HVD category): they are warnings, so a dataset stored before
these fields existed can still be saved; each names the field to fill in.
"""

from __future__ import annotations

from collections.abc import Iterator

from catalogue.domain.dataset import DatasetDocument
from catalogue.domain.problems import Problem
from catalogue.domain.rulebook import RuleContext, rule

HVD_LEGISLATION = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
"""The ELI of Implementing Regulation (EU) 2023/138 (the list of high-value datasets)."""


def link_problems(document: DatasetDocument) -> list[Problem]:
    """Distributions that name an unknown service, services with the same id, a service
    that lists its own dataset among the others it serves."""
    problems: list[Problem] = []
    services = document.technical.data_services
    seen: dict[str, int] = {}
    for index, service in enumerate(services):
        if service.id is None:
            continue
        if service.id in seen:
            problems.append(
                Problem(
                    f"technical.data_services[{index}].id",
                    f"data service {seen[service.id] + 1} has the id '{service.id}' already; "
                    "give each service its own",
                    "duplicate_id",
                )
            )
        seen.setdefault(service.id, index)
        for position, slug in enumerate(service.serves):
            if slug == document.slug:
                problems.append(
                    Problem(
                        f"technical.data_services[{index}].serves[{position}]",
                        "a service always serves the dataset it is described in; list only the "
                        "other datasets it serves",
                        "serves_itself",
                    )
                )
    for index, distribution in enumerate(document.technical.distributions):
        wanted = distribution.access_service
        if wanted is not None and wanted not in seen:
            known = ", ".join(sorted(seen)) or "none has an id yet"
            problems.append(
                Problem(
                    f"technical.distributions[{index}].access_service",
                    f"there is no data service with the id '{wanted}' in this dataset "
                    f"(the ids: {known})",
                    "unknown_service",
                )
            )
    return problems


def is_high_value(document: DatasetDocument) -> bool:
    return bool(document.semantic.hvd_categories)


def _warning(field: str, message: str, code: str = "hvd") -> Problem:
    return Problem(field, message, code, severity="warning")


@rule()
def hvd_dataset_is_complete(document: DatasetDocument, context: RuleContext) -> Iterator[Problem]:
    """What the HVD 3.0.0 shapes need of a high-value dataset, its distributions and APIs."""
    if not is_high_value(document):
        return
    if HVD_LEGISLATION not in {item.iri for item in document.legal.legislation}:
        yield _warning(
            "legal.legislation",
            "a high-value dataset names Implementing "
            f"Regulation (EU) 2023/138 ({HVD_LEGISLATION}) among its laws",
        )
    technical = document.technical
    if not technical.data_services:
        yield _warning(
            "technical.data_services",
            "a high-value dataset is available "
            "through an API: describe the data service that serves it",
        )
    if not technical.distributions:
        yield _warning(
            "technical.distributions",
            "a high-value dataset has at least one distribution (a bulk download)",
        )
    for index, distribution in enumerate(technical.distributions):
        where = f"technical.distributions[{index}]"
        if HVD_LEGISLATION not in distribution.legislation:
            yield _warning(
                f"{where}.legislation",
                "each distribution of a high-value "
                f"dataset names the HVD regulation ({HVD_LEGISLATION})",
            )
        if not (distribution.licence or distribution.rights):
            yield _warning(
                f"{where}.licence",
                "each distribution of a high-value dataset "
                "states its licence or a rights statement",
            )
    for index, service in enumerate(technical.data_services):
        where = f"technical.data_services[{index}]"
        if HVD_LEGISLATION not in service.legislation:
            yield _warning(
                f"{where}.legislation",
                f"each API of a high-value dataset names the HVD regulation ({HVD_LEGISLATION})",
            )
        if not service.hvd_categories:
            yield _warning(
                f"{where}.hvd_categories",
                "each API of a high-value dataset states its high-value dataset category",
            )
        if not service.documentation:
            yield _warning(
                f"{where}.documentation",
                "each API of a high-value dataset has a documentation page for people",
            )
        if not (service.licence or service.rights):
            yield _warning(
                f"{where}.licence",
                "each API of a high-value dataset states its "
                "licence or a rights statement (its terms of use)",
            )
