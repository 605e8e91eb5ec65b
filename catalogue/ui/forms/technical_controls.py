"""The technical level's nested controls, written by hand: distributions, data services,
attributes and the time period covered (the registry declares them ``custom={"form": ...}``)."""

from __future__ import annotations

from catalogue.domain.fieldspec import ONLY_OPEN
from catalogue.ui.forms.controls import Spec

SERVICE_CHOICES = "data-services"
"""The choice list of a distribution's service: this form's own data services."""

DISTRIBUTION = Spec(
    "technical.distributions",
    "Distributions",
    "repeat",
    "Each way to get the data: a file to download, a page to request it, a feed. Open data "
    "needs at least one with an access address.",
    required=ONLY_OPEN,
    item_label="Distribution",
    children=(
        Spec("title", "Title", "langtext", "For example 'CSV file, all years'."),
        Spec(
            "access_url",
            "Access address",
            "url",
            "Where people get the data or learn how to get it (starting https://).",
            required=ONLY_OPEN,
        ),
        Spec(
            "download_url",
            "Direct download address",
            "url",
            "Only if the address downloads the file itself.",
        ),
        Spec("format", "File format", "select", choices="file-types"),
        Spec("media_type", "Media type", "text", "For example text/csv. Leave empty if unsure."),
        Spec("byte_size", "Size in bytes", "number"),
        Spec(
            "licence",
            "Licence of this distribution",
            "select",
            "Only if it differs from the dataset's licence.",
            choices="licences",
        ),
        Spec("status", "Status", "select", choices="distribution-status"),
        Spec(
            "availability",
            "Planned availability",
            "select",
            "How long you intend to keep it available.",
            choices="planned-availability",
        ),
        Spec(
            "checksum",
            "Checksum",
            "group",
            "Lets people check the file arrived intact.",
            children=(
                Spec("algorithm", "Algorithm", "text", default="sha256"),
                Spec("value", "Value", "text"),
            ),
        ),
        Spec("description", "Description", "langtext"),
        Spec(
            "rights",
            "Rights statement",
            "langtext",
            "Anything users must know about reusing this distribution.",
        ),
        Spec(
            "access_service",
            "Served by the data service",
            "select",
            "The API (described under Data services) through which this distribution can "
            "be queried.",
            choices=SERVICE_CHOICES,
        ),
        Spec(
            "legislation",
            "Laws that apply to this distribution",
            "lines",
            "ELI addresses, one per line. A high-value dataset names "
            "http://data.europa.eu/eli/reg_impl/2023/138/oj.",
        ),
    ),
)

DATA_SERVICE = Spec(
    "technical.data_services",
    "Data services (APIs)",
    "repeat",
    "An API through which the data can be queried. A high-value dataset needs one, with its "
    "category, a documentation page, a licence and the HVD regulation.",
    item_label="Data service",
    children=(
        Spec("title", "Title", "langtext"),
        Spec(
            "id",
            "Short name",
            "text",
            "For example 'api' or 'wfs': distributions refer to the service by it. Left "
            "empty, one is made up when a distribution names the service.",
        ),
        Spec("endpoint_url", "Endpoint address", "url", "The base address of the API."),
        Spec(
            "endpoint_description",
            "Description of the endpoint",
            "url",
            "For example the address of an OpenAPI document.",
        ),
        Spec("documentation", "Documentation page", "url", "Where people read how to use the API."),
        Spec("conforms_to", "Standards it follows", "lines", "One address per line."),
        Spec("licence", "Licence of the service", "select", choices="licences"),
        Spec(
            "access_rights",
            "Who may use the service",
            "select",
            "Only if it differs from the dataset's access.",
            choices="access-rights",
        ),
        Spec("rights", "Terms of use", "langtext"),
        Spec(
            "hvd_categories",
            "High-value dataset categories",
            "checkboxes",
            choices="hvd-categories",
        ),
        Spec(
            "legislation", "Laws that apply to the service", "lines", "ELI addresses, one per line."
        ),
        Spec(
            "serves",
            "Other datasets it serves",
            "lines",
            "The short names (as in their web address) of other datasets the service also "
            "gives access to; one per line.",
        ),
        Spec("description", "Description", "langtext"),
    ),
)

ATTRIBUTE = Spec(
    "technical.attributes",
    "Attributes (columns)",
    "repeat",
    "The fields each record has. For personal data, say which category of personal data "
    "each attribute holds.",
    item_label="Attribute",
    children=(
        Spec("name", "Name", "text", "As it appears in the data, e.g. birth_date."),
        Spec("data_type", "Data type", "select", choices="data-types", default="string"),
        Spec("description", "Description", "langtext"),
        Spec(
            "personal_data_category",
            "Personal data it holds",
            "select",
            "Leave empty if the attribute is not about a person.",
            choices="personal-data",
        ),
        Spec(
            "is_identifier",
            "This attribute identifies something (a person, a business, an address ...)",
            "checkbox",
        ),
        Spec(
            "identifier_scheme",
            "Identifier scheme",
            "select",
            "Which common identifier it holds, so the dataset can be joined with others.",
            choices="identifier-schemes",
        ),
    ),
)

TEMPORAL = Spec(
    "technical.temporal",
    "Time period covered",
    "group",
    children=(
        Spec("start", "From", "date"),
        Spec("end", "To", "date", "Leave empty if the data is still being added."),
    ),
)
