"""The canary: nothing unpublished shows through any public output.

A fixture writes unique marker words (``zqcnry`` and four letters) into every free-text,
address and web-address field of drafts, withdrawn datasets, the internal note and draft-time
history of a published dataset, proposed and rejected agreements, and into private user data
(the e-mail address of a user; the API tokens issued). Then every GET route the application
registers is crawled, anonymously and as a steward of another organisation, in every format
it offers (HTML, JSON, each RDF serialisation, the CKAN Action API), with searches for
misspelt marker words (did-you-mean must not suggest them) and requests for the hidden
datasets and agreements themselves (which must answer exactly as a missing one). Any marker
in any answer, other than one the request itself carried, fails the test.

The route list comes from the application, so a new route is crawled without editing this
file; a route with a path parameter the crawler has no value for fails the test until one is
added to ``path_values``.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import re
import typing
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote

import pytest

from catalogue.dcat import snapshot
from catalogue.domain.codes import CONTROLLED_FIELDS
from tests.conftest import PROJECT_ROOT, load_demo_catalogue, settle_search_drains

PREFIX = "zqcnry"
MARKER = re.compile(rf"{PREFIX}[a-z]{{4}}")
CANARY_ORG = "canary-agency"
PROVIDER_DPO = "dpo@ministry-of-the-interior.example.si"
OTHER_STEWARD = "steward@statistical-office.example.si"
TEMPLATE = "compulsory-health-insurance-register"
PUBLIC_TWIN = "canary-public-register"

# String fields that hold codes, slugs or periods (never free text).
KEPT = {pattern.replace("[]", "") for pattern in CONTROLLED_FIELDS} | {
    "slug",
    "classification",
    "status",
    "technical.attributes.data_type",
    "technical.distributions.checksum.algorithm",
    "organisational.publisher",
    "technical.distributions.checksum.value",  # hexadecimal digits, never free text
    "legal.personal_data.controller.organisation",
    "legal.personal_data.retention.period",
    "technical.temporal_resolution",  # an ISO 8601 period, like the retention period
    "technical.bounding_box",  # four numbers (west,south,east,north), never free text
    "semantic.related",
    "technical.temporal.start",
    "technical.temporal.end",
    "technical.data_services.serves",  # slugs of other datasets, like related ones
    # a distribution names its service by the service's id: both kept, so they still match
    "technical.data_services.id",
    "technical.distributions.access_service",
}
ADDRESS_KEYS = {
    "access_url",
    "download_url",
    "endpoint_url",
    "endpoint_description",
    "url",
    "iri",
    "conforms_to",
    "documentation",
    "legislation",
}


class Markers:
    """Unique marker words: letters only, so the search analyser keeps them as words."""

    def __init__(self) -> None:
        self._letters = (
            "".join(t) for t in itertools.product("abcdefghijklmnopqrstuvwxy", repeat=4)
        )
        self.never_public: set[str] = set()
        self.all: set[str] = set()

    def new(self, never_public: bool = True) -> str:
        marker = PREFIX + next(self._letters)
        self.all.add(marker)
        if never_public:
            self.never_public.add(marker)
        return marker

    def fill(self, node: Any, never_public: bool = True, path: str = "") -> Any:
        """``node`` with a marker in every free-text, e-mail and web-address leaf."""
        if isinstance(node, dict):
            return {
                key: self.fill(
                    value,
                    never_public,
                    f"{path}.{key}".lstrip(".") if not _is_language(key) else path + ".*",
                )
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [self.fill(item, never_public, path) for item in node]
        if not isinstance(node, str) or path in KEPT:
            return node
        marker = self.new(never_public)
        last = path.rsplit(".", 2)[-1] if not path.endswith(".*") else path.rsplit(".", 2)[-2]
        if last.endswith("email"):
            return f"{marker}@example.gov"
        if last in ADDRESS_KEYS:
            return f"https://{marker}.example.gov/"
        return marker


LANGUAGES = ("en", "sl")  # the language maps' keys in the seed


def _is_language(key: str) -> bool:
    return key in LANGUAGES


def _complete(document: dict[str, Any]) -> dict[str, Any]:
    """The template with every optional free-text field present, so each gets a marker."""
    document = copy.deepcopy(document)
    document["internal_note"] = "note"
    document["semantic"]["keywords"] = [*document["semantic"].get("keywords", []), "word"]
    document["semantic"]["conforms_to"] = ["https://standard.example.gov/"]
    organisational = document["organisational"]
    organisational["owner_unit"] = "unit"
    organisational["steward"] = {
        "name": "name",
        "email": "a@example.gov",
        "url": "https://a.example.gov/",
    }
    organisational["contact_point"] = {**organisational["steward"]}
    technical = document["technical"]
    technical["version"] = "version"
    technical["distributions"] = [
        *technical["distributions"],
        {"access_url": "https://a.example.gov/", "format": "CSV"},
    ]
    for distribution in technical["distributions"]:
        distribution.update(
            title={"en": "t"},
            description={"en": "d"},
            rights={"en": "r"},
            media_type="text/csv",
            id="id",
            download_url="https://a.example.gov/",
            checksum={"algorithm": "sha256", "value": "0a1b2c"},
            legislation=["https://a.example.gov/"],
        )
    for service in technical["data_services"]:
        service.update(
            title={"en": "t"},
            description={"en": "d"},
            endpoint_description="https://a.example.gov/",
            conforms_to=["https://a.example.gov/"],
            id="id",
            documentation="https://a.example.gov/",
            rights={"en": "r"},
            legislation=["https://a.example.gov/"],
            serves=["central-population-register"],
        )
    technical["distributions"][0]["access_service"] = "id"
    for attribute in technical["attributes"]:
        attribute["description"] = {"en": "d"}
    legal = document["legal"]
    legal["rights"] = {"en": "r"}
    legal["restriction"] = {"reason": {"en": "r"}, "how_to_request": {"en": "h"}}
    for law in legal["legislation"]:
        law["title"] = {"en": "t"}
    personal = legal["personal_data"]
    personal["controller"].update(name="n", email="a@example.gov", url="https://a.example.gov/")
    personal["dpo_contact"] = {
        "name": "n",
        "email": "a@example.gov",
        "url": "https://a.example.gov/",
    }
    personal["retention"]["description"] = {"en": "d"}
    for purpose in personal["purposes"]:
        purpose["text"] = {"en": "t"}
    for transfer in personal["transfers"]:
        transfer.update(recipient="r", safeguards={"en": "s"})
    personal["transfers"].append(
        {"organisation": "o", "recipient": "r", "basis": "A46-2-a", "safeguards": {"en": "s"}}
    )
    return document


async def _principal(email: str, password: str = "demo-password") -> Any:
    from catalogue.accounts.service import authenticate

    principal = await authenticate(email, password)
    assert principal is not None, email
    return principal


async def _token(principal: Any, secrets: set[str]) -> dict[str, str]:
    from catalogue.accounts.service import create_token

    issued = await create_token(principal.user_id, "crawler")
    secrets.add(issued.token)
    return {"Authorization": f"Bearer {issued.token}"}


class Canary:
    """What the fixture wrote: markers, secrets, and the hidden things to ask for."""

    def __init__(self) -> None:
        self.markers = Markers()
        self.secrets: set[str] = set()
        self.hidden_slugs: list[str] = []
        self.public_slugs: list[str] = []
        self.hidden_agreements: list[str] = []
        self.public_agreements: list[str] = []
        self.hidden_resources: list[str] = []
        self.revisions: dict[str, int] = {}
        self.other_steward: dict[str, str] = {}


async def _write_canary() -> Canary:
    from catalogue.accounts.service import create_user
    from catalogue.agreements import service as agreements
    from catalogue.datasets import service
    from catalogue.domain.agreement import Decision
    from tests.factories import make_organisation

    canary = Canary()
    markers = canary.markers
    await make_organisation(CANARY_ORG)
    steward_email = f"{markers.new()}@example.gov"
    await create_user(
        steward_email, "Canary Steward", "canary-password", "", None, roles={CANARY_ORG: "steward"}
    )
    steward = await _principal(steward_email, "canary-password")
    await _token(steward, canary.secrets)  # a token nobody shows
    template = json.loads((PROJECT_ROOT / "seed" / "datasets" / f"{TEMPLATE}.json").read_text())
    template = {**_complete(template), "status": "draft"}
    template["organisational"]["publisher"] = CANARY_ORG
    template["legal"]["personal_data"]["controller"]["organisation"] = CANARY_ORG

    def marked(never_public: bool = True) -> dict[str, Any]:
        return markers.fill(template, never_public) | {"slug": markers.new(never_public)}

    draft = marked()
    draft["semantic"]["related"] = [TEMPLATE]
    record = await service.create_dataset(draft, steward)
    canary.hidden_slugs.append(record.slug)
    canary.hidden_resources.extend(d.id or "" for d in record.document.technical.distributions)
    again = marked() | {"slug": record.slug}
    await service.replace_dataset(record.slug, again, record.revision, steward)

    withdrawn_draft = await service.create_dataset(marked(), steward)
    await service.withdraw_dataset(
        withdrawn_draft.slug, withdrawn_draft.revision, steward, reason=markers.new()
    )
    canary.hidden_slugs.append(withdrawn_draft.slug)

    # Public once, then withdrawn: gone from every output from then on.
    once = marked(never_public=False) | {"status": "published"}
    once["internal_note"] = markers.new()
    once_record = await service.create_dataset(once, steward)
    await service.withdraw_dataset(once_record.slug, once_record.revision, steward)
    canary.hidden_slugs.append(once_record.slug)

    # A published dataset whose drafts, internal notes and related links are all markers.
    twin = await service.create_dataset(marked() | {"slug": PUBLIC_TWIN}, steward)
    twin = await service.replace_dataset(
        PUBLIC_TWIN, marked() | {"slug": PUBLIC_TWIN}, twin.revision, steward
    )
    public = copy.deepcopy(template) | {"slug": PUBLIC_TWIN, "status": "published"}
    public["internal_note"] = markers.new()
    public["semantic"]["related"] = [TEMPLATE, *canary.hidden_slugs]
    for item in public["technical"]["data_services"]:
        item["serves"] = [TEMPLATE, *canary.hidden_slugs]
    twin = await service.replace_dataset(PUBLIC_TWIN, public, twin.revision, steward)
    public["internal_note"] = markers.new()
    public["title"] = {**public["title"], "en": "Canary register, renamed"}
    twin = await service.replace_dataset(PUBLIC_TWIN, public, twin.revision, steward)
    canary.public_slugs += [
        PUBLIC_TWIN,
        TEMPLATE,
        "child-benefit-decisions",
        "central-population-register",
    ]
    canary.revisions[PUBLIC_TWIN] = twin.revision

    # Agreements the register does not show: a proposal and a rejected one.
    labour = await _principal("steward@ministry-of-labour.example.si")
    for reject in (False, True):
        proposal = {
            "dataset": "central-population-register",
            "consumer": "ministry-of-labour",
            "service": {"title": {"en": markers.new()}, "url": f"https://{markers.new()}.si/"},
            "attributes": ["personal_id"],
            "needed_attributes": [{"name": "personal_id", "need": {"en": markers.new()}}],
            "purpose": {"code": "ServiceProvision", "text": {"en": markers.new()}},
            "legal_basis": "A6-1-e",
            "valid_from": dt.date.today().isoformat(),
            "valid_until": (dt.date.today() + dt.timedelta(days=365)).isoformat(),
            "law": {
                "iri": "http://www.pisrs.si/Pis.web/pregledPredpisa?id=ZAKO4296",
                "title": {"en": markers.new()},
            },
        }
        agreement = await agreements.propose(proposal, labour)
        if reject:
            dpo = await _principal(PROVIDER_DPO)
            await agreements.decide(
                str(agreement.id), Decision.REJECT, {"reason": markers.new()}, dpo
            )
        canary.hidden_agreements.append(str(agreement.id))
    await settle_search_drains()
    other = await _principal(OTHER_STEWARD)
    canary.other_steward = await _token(other, canary.secrets)
    return canary


@pytest.fixture(scope="module")
async def canary() -> Canary:
    await load_demo_catalogue()
    written = await _write_canary()
    from catalogue.agreements.records import AgreementFilter, list_records

    records, _ = await list_records(None, AgreementFilter(), 1, 100)
    written.public_agreements = [str(record.id) for record in records[:2]]
    return written


@pytest.fixture
async def crawler(canary: Canary) -> AsyncIterator[Any]:
    from litestar.testing import AsyncTestClient

    from catalogue.app import create_app

    snapshot.invalidate()
    await settle_search_drains()
    app = create_app(prepare=False, pool=False)
    async with AsyncTestClient(app=app) as client:
        client.routes = app.routes  # type: ignore[attr-defined]
        yield client


def _misspelt(marker: str) -> str:
    """A marker with one letter changed, so it no longer carries the prefix."""
    return marker[:4] + ("x" if marker[4] != "x" else "w") + marker[5:]


def path_values(canary: Canary, path: str, name: str) -> list[str]:
    """Values for one path parameter: public and hidden things from the seed and the canary."""
    if name == "slug" and path.startswith(("/organisation", "/api/v1/organisations")):
        return [CANARY_ORG, "ministry-of-the-interior", "no-such-organisation"]
    if name == "slug":
        return [*canary.public_slugs, *canary.hidden_slugs]
    if name == "controller":  # the record of processing of one organisation
        return [CANARY_ORG, "ministry-of-the-interior", "no-such-organisation"]
    if name == "revision":
        return [str(n) for n in range(1, canary.revisions[PUBLIC_TWIN] + 1)]
    if name == "agreement_id":
        return [*canary.public_agreements, *canary.hidden_agreements]
    if name == "name" and path.startswith("/feeds/organisation"):
        return [f"{CANARY_ORG}.atom", "ministry-of-the-interior.atom", "no-such-organisation.atom"]
    if name == "name" and path.startswith("/feeds/theme"):
        return ["ECON.atom", "GOVE.atom", "NOPE.atom"]
    if name == "name" and "/harvest/" in path:  # the canary registers no harvest source
        return ["no-such-source"]
    if name in ("hook_id", "job_id", "user_id", "token_id"):
        return ["1", "999999"]
    if name == "name" and path.startswith("/api/v1/vocabularies"):
        return ["themes", "purposes"]
    if name == "name":
        return [
            "package_search",
            "package_show",
            "package_list",
            "organization_list",
            "organization_show",
            "group_list",
            "group_show",
            "resource_show",
            "license_list",
            "status_show",
            "help_show",
        ]
    if name == "service":  # the once-only machine list of a public service
        return ["child-benefit", "https://e-uprava.example.si/child-benefit"]
    if name == "code":  # identifier schemes (/identifier/{code})
        return ["personal-id", "tax-number", "no-such-scheme"]
    if name == "section":  # a section of the dataset form (/dataset/{slug}/edit/{section})
        return ["basics", "personal"]
    if name == "file_path":
        return ["catalogue.css"]
    if name == "path":
        return ["openapi.yaml"]
    raise AssertionError(f"the canary has no value for {{{name}}} in {path}: add one")


def queries_for(canary: Canary, url: str) -> list[dict[str, str]]:
    """Extra query strings worth asking on some routes: searches, filters, CKAN parameters."""
    misspelt = [_misspelt(m) for m in sorted(canary.markers.never_public)[:6]]
    searches = [{"q": word} for word in misspelt] + [
        {"q": " ".join(misspelt[:3])},
        {"q": f"{PREFIX[:4]}*"},
        {"q": ""},
    ]
    if url in ("/search", "/api/v1/search"):
        return [
            *searches,
            {"publisher": CANARY_ORG},
            {"status": "draft"},
            {"status": "withdrawn"},
            {"q": "register", "sort": "modified"},
        ]
    if url.startswith("/catalog"):
        return [{"q": misspelt[0]}, {"publisher": CANARY_ORG}]
    if url == "/api/v1/datasets":
        return [
            {"size": "100"},
            {"status": "draft"},
            {"status": "withdrawn"},
            {"publisher": CANARY_ORG, "size": "100"},
        ]
    if url in ("/api/v1/agreements", "/agreements"):
        return [
            {"status": "proposed"},
            {"status": "rejected"},
            {"consumer": "ministry-of-labour"},
            {"size": "100"},
        ]
    name = url.rsplit("/", 1)[-1]
    if url.startswith("/api/3/action/"):  # /api/action/ is the same handler, asked plainly
        hidden, public = canary.hidden_slugs, canary.public_slugs
        return {
            "package_search": [
                *searches,
                {"fq": f"organization:{CANARY_ORG}", "rows": "1000"},
                {"fq": "state:draft"},
                {"include_private": "true"},
                {"q": misspelt[0], "facet.field": '["tags","res_format"]'},
            ],
            "package_show": [{"id": slug} for slug in (*public, *hidden)],
            "package_list": [{"limit": "1000"}],
            "organization_list": [{"all_fields": "true"}],
            "organization_show": [{"id": CANARY_ORG, "include_datasets": "true"}],
            "group_show": [{"id": "HEAL"}],
            "resource_show": [{"id": resource} for resource in canary.hidden_resources[:2]],
            "help_show": [{"name": "package_search"}],
        }.get(name, [])
    if url.startswith("/dataset/") and url.count("/") == 2:
        return [{"lang": "sl"}]
    return []


ACCEPTS = [
    "",
    "application/json",
    "text/turtle",
    "application/ld+json",
    "application/rdf+xml",
    "application/n-triples",
    "text/html",
]


def _requests(canary: Canary, routes: list[Any]) -> Iterator[tuple[str, dict[str, str]]]:
    """Every GET URL of every route, with its query variants, in every format it answers."""
    seen: set[str] = set()
    for route in routes:
        if "GET" not in getattr(route, "methods", ()):
            continue
        template = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
        names = re.findall(r"\{(\w+)\}", template)
        choices = [path_values(canary, template, name) for name in names]
        for values in itertools.product(*choices):
            url = template
            for name, value in zip(names, values, strict=True):
                url = url.replace(f"{{{name}}}", quote(value, safe=""))
            if url in seen:
                continue
            seen.add(url)
            for query in [{}, *queries_for(canary, url)]:
                full = url + (
                    "?" + "&".join(f"{k}={quote(v)}" for k, v in query.items()) if query else ""
                )
                # The API answers JSON only; pages and feeds negotiate every format.
                many = not url.startswith("/api") and (not query or url.startswith("/dataset"))
                accepts = ACCEPTS if many else [""]
                for accept in accepts:
                    yield full, ({"Accept": accept} if accept else {})
    for slug in canary.public_slugs[:1]:
        for ext in ("ttl", "rdf", "jsonld", "nt"):
            yield f"/dataset/{slug}.{ext}", {}
    yield f"/dataset/{canary.hidden_slugs[0]}.ttl", {}
    yield f"/{PREFIX}zzzz-no-such-page", {}


def _leaks(canary: Canary, url: str, text: str) -> list[str]:
    """Markers and secrets in an answer, leaving out what the request itself carried."""
    carried = set(MARKER.findall(url))
    found = {marker for marker in MARKER.findall(text) if marker not in carried}
    # An e-mail-shaped or address-shaped marker the request named is its own echo too.
    found |= {secret[:12] + "…" for secret in canary.secrets if secret in text}
    return sorted(found)


async def _crawl(client: Any, canary: Canary, headers: dict[str, str]) -> dict[str, Any]:
    leaks: dict[str, list[str]] = {}
    errors: dict[str, int] = {}
    statuses: dict[str, int] = {}
    for url, extra in _requests(canary, client.routes):
        response = await client.get(url, headers={**headers, **extra}, follow_redirects=False)
        key = f"{url} [{extra.get('Accept', '')}]"
        statuses[key] = response.status_code
        if response.status_code >= 500:
            errors[key] = response.status_code
        if found := _leaks(canary, url, response.text + json.dumps(dict(response.headers))):
            leaks[key] = found
    return {"leaks": leaks, "errors": errors, "statuses": statuses}


def _as_missing(canary: Canary, statuses: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Requests for a hidden thing whose status differs from the same request for a missing
    one (the first hidden slug stands for all: compared with a slug that never existed)."""
    differing = {}
    for key, status in statuses.items():
        for hidden in canary.hidden_slugs:
            if hidden in key:
                twin = key.replace(hidden, f"{PREFIX}zzzz")
                if twin in statuses and statuses[twin] != status:
                    differing[key] = (status, statuses[twin])
    return differing


@pytest.mark.parametrize("who", ["anonymous", "steward of another organisation"])
async def test_no_marker_shows_through_any_public_output(crawler, canary, who):
    headers = canary.other_steward if who != "anonymous" else {}
    canary.hidden_slugs.append(f"{PREFIX}zzzz")  # a slug that never existed, for comparison
    try:
        result = await _crawl(crawler, canary, headers)
    finally:
        canary.hidden_slugs.pop()
    assert len(result["statuses"]) > 500, "the crawl reached too few routes"
    print(f"canary crawl as {who}: {len(result['statuses'])} requests")
    assert not result["errors"], result["errors"]
    assert not result["leaks"], json.dumps(result["leaks"], indent=1)[:4000]
    assert not _as_missing(canary, result["statuses"])
    ok = {key for key, status in result["statuses"].items() if status == 200}
    assert any(key.startswith(f"/dataset/{PUBLIC_TWIN} ") for key in ok)
    assert any(key.startswith(f"/api/v1/datasets/{PUBLIC_TWIN}/history ") for key in ok)


async def test_the_canary_reaches_every_field_and_its_owner_sees_it(crawler, canary):
    """The premise: the markers are really stored, and shown to those who may see them."""
    from catalogue.domain.dataset import DatasetDocument

    document = _complete(
        json.loads((PROJECT_ROOT / "seed" / "datasets" / f"{TEMPLATE}.json").read_text())
    )
    DatasetDocument.model_validate(document)
    filled = Markers().fill(document)
    unmarked = _unmarked_leaves(filled)
    assert not unmarked, f"free-text fields without a marker: {unmarked}"
    marked = {re.sub(r"\.(en|sl)$", "", path) for path in _leaf_paths(filled)}
    missing = sorted(_text_paths(DatasetDocument) - KEPT - marked)
    assert not missing, f"fields of the document model the canary leaves empty: {missing}"

    auditor = await _token(
        await _principal("auditor@information-commissioner.example.si"), canary.secrets
    )
    for slug in canary.hidden_slugs:
        response = await crawler.get(f"/api/v1/datasets/{slug}", headers=auditor)
        assert response.status_code == 200 and MARKER.search(response.text)
    history = await crawler.get(f"/api/v1/datasets/{PUBLIC_TWIN}/history", headers=auditor)
    assert MARKER.search(history.text)


def _leaf_paths(node: Any, path: str = "") -> set[str]:
    if isinstance(node, dict):
        return {
            leaf
            for key, value in node.items()
            for leaf in _leaf_paths(value, f"{path}.{key}".lstrip("."))
        }
    if isinstance(node, list):
        return {leaf for item in node for leaf in _leaf_paths(item, path)}
    return {path} if isinstance(node, str) else set()


def _text_paths(model: Any, prefix: str = "") -> set[str]:
    """Every path of the document model that holds text (walked from the pydantic model)."""
    from pydantic import BaseModel

    paths: set[str] = set()
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        stack = [info.annotation]
        while stack:
            annotation = stack.pop()
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                paths |= _text_paths(annotation, f"{path}.")
            elif annotation is str or (
                isinstance(annotation, type)
                and issubclass(annotation, str)
                and annotation.__module__ == "builtins"
            ):
                paths.add(path)
            else:
                args = typing.get_args(annotation)
                if typing.get_origin(annotation) is typing.Annotated:
                    args = args[:1]
                elif typing.get_origin(annotation) is dict:
                    args = args[1:]
                stack.extend(args)
    return paths


def _unmarked_leaves(node: Any, path: str = "") -> list[str]:
    if isinstance(node, dict):
        return [
            leaf
            for key, value in node.items()
            for leaf in _unmarked_leaves(value, f"{path}.{key}".lstrip("."))
        ]
    if isinstance(node, list):
        return [leaf for item in node for leaf in _unmarked_leaves(item, path)]
    clean = re.sub(r"\.(en|sl)$", "", path)
    if isinstance(node, str) and clean not in KEPT and not MARKER.search(node):
        return [path]
    return []


async def test_the_spelling_dictionary_learns_no_word_the_public_never_saw(crawler, canary):
    from catalogue.search import spelling
    from catalogue.search.index_files import index_dir

    words = set(spelling.load(index_dir()).counts)
    assert not words & canary.markers.never_public
