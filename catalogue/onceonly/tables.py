"""Indexes of the once-only map, kept in step with every dataset and agreement write.

The pages ask "which attributes carry scheme X", "which attributes hold fact Y", "which word
matches which attribute" and "which agreements serve service Z"; these tables answer each with
one indexed lookup, so no request reads every dataset or agreement.
"""

from piccolo.columns import JSON, UUID, Boolean, Date, Timestamptz, Varchar
from piccolo.columns.column_types import ForeignKey, Serial
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class RegisterAttribute(Table):
    """One attribute of one published dataset, with what it holds (its *fact*)."""

    id = Serial(primary_key=True)
    dataset_id = UUID(index=True)
    dataset_slug = Varchar(length=100, index=True)
    dataset_title = JSON()  # {"en": ..., "sl": ...}
    publisher = Varchar(length=100, default="")
    is_base_register = Boolean(default=False, index=True)
    name = Varchar(length=200)
    description = JSON()
    personal_data_category = Varchar(length=100, default="", index=True)
    identifier_scheme = Varchar(length=50, default="", index=True)
    is_key = Boolean(default=False)  # the dataset's first identifier: it issues that scheme
    fact = Varchar(length=160, default="", index=True)  # "scheme:address-id", "category:Name"


class RegisterTerm(Table):
    """One word of an attribute's name, description or category label (both languages)."""

    id = Serial(primary_key=True)
    word = Varchar(length=100)  # composite index (word, is_base_register, dataset_slug)
    attribute = ForeignKey(RegisterAttribute, null=False, index=True)
    is_base_register = Boolean(default=False)  # copied so a search sorts inside the index
    dataset_slug = Varchar(length=100, default="")


class ServiceUse(Table):
    """One data-use agreement under the slug of the public service it serves."""

    id = Serial(primary_key=True)
    agreement_id = UUID(unique=True, index=True)
    reference = Varchar(length=100, default="")
    service_slug = Varchar(length=120, index=True)
    service_title = JSON()
    service_url = Varchar(length=2000, default="")
    dataset_slug = Varchar(length=100, index=True)
    consumer = Varchar(length=100, default="")
    status = Varchar(length=20, index=True)
    attributes = JSON()
    valid_from = Date()
    valid_until = Date()
    modified = Timestamptz(default=TimestamptzNow())
    dataset_public = Boolean(default=True)
