"""The audit log: one row per write, each linked to the one before by its hash.

There is no code path that updates or deletes a row; triggers refuse UPDATE and DELETE on
both engines and TRUNCATE on PostgreSQL (see the migrations).
"""

from piccolo.columns import JSON, BigInt, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class AuditEvent(Table, tablename="audit_event"):
    id = Serial(primary_key=True)
    # 1, 2, 3, ... in chain order; unique, so two writers can never fork the chain.
    sequence = BigInt(unique=True, index=True)
    at = Timestamptz(index=True)
    actor_id = Integer(null=True, default=None, index=True)
    actor = Varchar(length=300, default="")
    actor_email = Varchar(length=320, default="", index=True)
    role = Varchar(length=100, default="")
    organisation = Varchar(length=100, default="", index=True)
    action = Varchar(length=50)
    object_kind = Varchar(length=50, index=True)
    object_id = Varchar(length=100, index=True)
    object_label = Varchar(length=500, default="")
    diff = JSON(default={})
    details = JSON(default={})
    reason = Text(default="")
    previous_hash = Varchar(length=64)
    row_hash = Varchar(length=64, unique=True)
    # 1: plain SHA-256 (events written before the audit key existed); 2: HMAC-SHA256 keyed.
    version = Integer(default=1)
