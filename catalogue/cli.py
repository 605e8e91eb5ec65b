"""The ``catalogue`` command: serve, migrate, seed, users, tokens, problems.

The domains' commands are listed in :data:`catalogue.wiring.COMMANDS`; every command runs
with the settings read once here and the plugs wired (``ctx.obj`` is the settings).
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from catalogue.i18n import _
from catalogue.running import fail, run
from catalogue.settings import Settings, get_settings
from catalogue.wiring import add_commands, wire

__all__ = ["fail", "main", "run"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def main(context: click.Context) -> None:
    """A strategic data management catalogue for public administrations.

    Configuration comes from CATALOGUE_* environment variables (see the README).
    """
    settings = get_settings()
    wire(settings)
    context.obj = settings

    from catalogue.i18n.catalogues import interface_languages, set_language
    from catalogue.i18n.negotiation import environment_language

    language = environment_language(dict(os.environ), interface_languages())
    if language:
        set_language(language)


@main.command()
@click.option("--host", default=None, help="Address to listen on [CATALOGUE_HOST, 127.0.0.1].")
@click.option("--port", default=None, type=int, help="Port [CATALOGUE_PORT, 8000].")
@click.option("--workers", default=1, show_default=True, help="Worker processes.")
@click.option("--reload", is_flag=True, help="Restart when the code changes (development).")
@click.pass_obj
def serve(
    settings: Settings, host: str | None, port: int | None, workers: int, reload: bool
) -> None:
    """Serve the catalogue; migrates, and seeds an empty database, on start."""
    import uvicorn

    uvicorn.run(
        "catalogue.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        reload=reload,
        log_level="info",
    )


@main.command()
def migrate() -> None:
    """Apply every pending database migration."""

    async def noop() -> None:
        return None

    run(noop)
    click.echo(_("The database is up to date."))


@main.command()
@click.option(
    "--path",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Seed folder [CATALOGUE_SEED_DIR, ./seed].",
)
@click.pass_obj
def seed(settings: Settings, path: str | None) -> None:
    """Load the demo catalogue (idempotent: a second run changes nothing)."""
    from pathlib import Path

    from catalogue.progress import counted_progress
    from catalogue.seed import load_seed

    folder = Path(path) if path else settings.seed_dir
    report = run(lambda: load_seed(folder, counted_progress("Loading datasets")))
    click.echo(
        _("Seed loaded from %(folder)s: %(summary)s")
        % {"folder": folder, "summary": report.summary()}
    )


@main.command()
@click.option("--slug", default=None, help="Only this dataset.")
def problems(slug: str | None) -> None:
    """List what the classification rules say is missing, per dataset."""
    from catalogue.accounts.principal import Principal
    from catalogue.datasets import queries, service

    everyone = Principal(user_id=0, name="cli", email="", global_role="auditor")

    async def check() -> int:
        page, errors = 1, 0
        while True:
            records, total = await queries.list_records(
                everyone, queries.DatasetFilter(), page, queries.MAX_PAGE_SIZE
            )
            for record in records:
                if slug and record.slug != slug:
                    continue
                found = await service.problems_for(record.document)
                errors += len(service.rules.blocking(found))
                mark = "ok" if not found else f"{len(found)} problem(s)"
                click.echo(
                    _("%(slug)s [%(value)s, %(value2)s]: %(mark)s")
                    % {
                        "slug": record.slug,
                        "value": record.document.classification.value,
                        "value2": record.document.status.value,
                        "mark": mark,
                    }
                )
                for problem in found:
                    click.echo(
                        _("  %(severity)s: %(field)s: %(message)s")
                        % {
                            "severity": problem.severity,
                            "field": problem.field,
                            "message": problem.message,
                        }
                    )
            if page * queries.MAX_PAGE_SIZE >= total:
                return errors
            page += 1

    if run(check):
        sys.exit(1)


@main.group()
def users() -> None:
    """Manage users."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="At least 10 characters (asked for when not given).",
)
@click.option("--admin", "global_role", flag_value="admin", help="Edits everything.")
@click.option("--auditor", "global_role", flag_value="auditor", help="Reads everything.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    metavar="ORG:ROLE",
    help="A role in an organisation, e.g. tax-administration:steward (repeatable).",
)
def create_user(
    email: str, name: str, password: str, global_role: str | None, roles: tuple[str, ...]
) -> None:
    """Create a user, with roles per organisation."""
    from catalogue.accounts import service
    from catalogue.errors import CatalogueError, InvalidDocument

    pairs: dict[str, str] = {}
    for item in roles:
        organisation, _sep, role = item.partition(":")
        if not role:
            fail(f"--role takes ORG:ROLE, got {item!r}")
        pairs[organisation] = role
    try:
        user_id = run(
            lambda: service.create_user(email, name, password, global_role or "", None, roles=pairs)
        )
    except InvalidDocument as error:
        fail("; ".join(f"{p.field} {p.message}" for p in error.problems))
    except CatalogueError as error:
        fail(error.message)
    click.echo(_("Created user %(user_id)s <%(email)s>.") % {"user_id": user_id, "email": email})


@main.group()
def tokens() -> None:
    """Manage API tokens."""


@tokens.command("create")
@click.option("--email", required=True, help="The user the token acts for.")
@click.option("--name", default="", help="What the token is for, to recognise it later.")
def create_token(email: str, name: str) -> None:
    """Create an API token; it is printed once and only its hash is kept."""
    from catalogue.accounts import service
    from catalogue.errors import CatalogueError

    async def make() -> Any:
        user_id = await service.user_id_for_email(email)
        return await service.create_token(user_id, name)

    try:
        issued = run(make)
    except CatalogueError as error:
        fail(error.message)
    click.echo(issued.token)
    click.echo(
        _("Token %(id)s created; keep it safe, it is not shown again.") % {"id": issued.id},
        err=True,
    )


@tokens.command("revoke")
@click.argument("token_id", type=int)
def revoke_token(token_id: int) -> None:
    """Revoke a token by its id."""
    from catalogue.accounts import service
    from catalogue.accounts.principal import Principal
    from catalogue.errors import CatalogueError

    admin = Principal(user_id=0, name="cli", email="", global_role="admin")
    try:
        run(lambda: service.revoke_token(token_id, admin))
    except CatalogueError as error:
        fail(error.message)
    click.echo(_("Token %(token_id)s revoked.") % {"token_id": token_id})


add_commands(main)
