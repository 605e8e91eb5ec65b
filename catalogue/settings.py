"""Settings as one frozen dataclass read from ``CATALOGUE_*`` environment variables.

Every variable is documented in the README; nothing else in the code reads the environment.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(f"CATALOGUE_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(f"CATALOGUE_{name}")
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _kept_secret(variable: str, path: Path) -> str:
    """A stable secret: from the environment, else from a 0600 file made on first use."""
    if value := os.environ.get(variable):
        return value
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it a moment ago
        for _ in range(50):
            if written := path.read_text().strip():
                return written
            time.sleep(0.01)
        raise
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
    return key


def _secret_key(data_dir: Path) -> str:
    """For sessions and CSRF: ``CATALOGUE_SECRET_KEY``, else kept in ``data/``."""
    return _kept_secret("CATALOGUE_SECRET_KEY", data_dir / "secret_key")


def _audit_key(data_dir: Path) -> str:
    """The key of the audit chain: ``CATALOGUE_AUDIT_KEY``, else a 0600 file in ``data/``.

    Kept out of the database on purpose: whoever can write the database but lacks this key
    cannot rewrite the audit log unnoticed (see the README's audit section).
    """
    return _kept_secret("CATALOGUE_AUDIT_KEY", data_dir / "audit_key")


@dataclass(frozen=True)
class Settings:
    """What an operator can configure; defaults give a working local catalogue."""

    data_dir: Path = PROJECT_ROOT / "data"
    database_url: str = ""
    base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    default_language: str = "en"
    languages: tuple[str, ...] = ("en", "sl")
    catalogue_title: str = "Public Data Catalogue"
    catalogue_description: str = "Datasets of the public administration: open, closed and personal."
    catalogue_publisher: str = ""  # an organisation slug; the DCAT feed names it as publisher
    catalogue_publisher_type: str = "NationalAuthority"  # EU publisher type, without a slug
    catalogue_licence: str = "CC0"  # the licence of the catalogue's metadata (EU code)
    catalogue_spatial: tuple[str, ...] = ()  # country codes the catalogue covers
    seed_dir: Path = PROJECT_ROOT / "seed"
    auto_seed: bool = True
    vocabularies_dir: Path = PROJECT_ROOT / "vocabularies"
    index_dir: Path = field(default=Path())
    index_workers: int = 0  # processes for a full reindex; 0 = one per CPU
    change_log_retention: float = 7 * 24 * 3600.0  # seconds a change-log row is kept
    change_poll_seconds: float = 2.0  # how often a node reads the change log unprompted
    debug: bool = False
    # Request limits (the rest are fixed in catalogue/limits.py; see README "Limits").
    max_body_bytes: int = 1024 * 1024
    max_rdf_bytes: int = 2 * 1024 * 1024
    max_rdf_triples: int = 20_000
    search_budget_seconds: float = 0.5
    validation_budget_seconds: float = 10.0
    slow_request_seconds: float = 1.0
    secret_key: str = field(default="", repr=False)
    audit_key: str = field(default="", repr=False)
    audit_checkpoint_file: Path = field(default=Path())
    audit_checkpoint_seconds: int = 300  # 0: the server writes no checkpoints itself
    # The link checker of the quality score (catalogue/quality/linkcheck.py).
    link_check_seconds: float = 300.0  # between rounds in the server; 0: never
    link_recheck_seconds: float = 7 * 24 * 3600.0  # an answer is trusted this long
    link_check_concurrency: int = 8
    link_check_timeout: float = 10.0
    harvest_poll_seconds: float = 60.0  # how often a server looks for due harvests; 0: never
    # How often a server writes the feed's missing chunks ahead of harvesters; 0: never.
    feed_prewrite_seconds: float = 3600.0

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://"))

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(_env("DATA_DIR", str(PROJECT_ROOT / "data"))).resolve()
        database_url = _env("DATABASE_URL", f"sqlite:///{data_dir / 'catalogue.sqlite'}")
        languages = tuple(
            code.strip() for code in _env("LANGUAGES", "en,sl").split(",") if code.strip()
        )
        default_language = _env("DEFAULT_LANGUAGE", languages[0] if languages else "en")
        if default_language not in languages:
            languages = (default_language, *languages)
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            base_url=_env("BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
            host=_env("HOST", "127.0.0.1"),
            port=int(_env("PORT", "8000")),
            default_language=default_language,
            languages=languages,
            catalogue_title=_env("TITLE", "Public Data Catalogue"),
            catalogue_description=_env(
                "DESCRIPTION", "Datasets of the public administration: open, closed and personal."
            ),
            catalogue_publisher=_env("PUBLISHER", ""),
            catalogue_publisher_type=_env("PUBLISHER_TYPE", "NationalAuthority"),
            catalogue_licence=_env("LICENCE", "CC0"),
            catalogue_spatial=tuple(
                code.strip() for code in _env("SPATIAL", "").split(",") if code.strip()
            ),
            seed_dir=Path(_env("SEED_DIR", str(PROJECT_ROOT / "seed"))),
            auto_seed=_env_bool("AUTO_SEED", True),
            vocabularies_dir=Path(_env("VOCABULARIES_DIR", str(PROJECT_ROOT / "vocabularies"))),
            index_dir=Path(_env("INDEX_DIR", str(data_dir / "index"))),
            index_workers=int(_env("INDEX_WORKERS", "0")),
            change_log_retention=float(_env("CHANGE_LOG_RETENTION", str(7 * 24 * 3600))),
            change_poll_seconds=float(_env("CHANGE_POLL_SECONDS", "2")),
            debug=_env_bool("DEBUG", False),
            max_body_bytes=int(_env("MAX_BODY_BYTES", str(1024 * 1024))),
            max_rdf_bytes=int(_env("MAX_RDF_BYTES", str(2 * 1024 * 1024))),
            max_rdf_triples=int(_env("MAX_RDF_TRIPLES", "20000")),
            search_budget_seconds=float(_env("SEARCH_BUDGET_SECONDS", "0.5")),
            validation_budget_seconds=float(_env("VALIDATION_BUDGET_SECONDS", "10.0")),
            slow_request_seconds=float(_env("SLOW_REQUEST_SECONDS", "1.0")),
            secret_key=_secret_key(data_dir),
            audit_key=_audit_key(data_dir),
            audit_checkpoint_file=Path(
                _env("AUDIT_CHECKPOINT_FILE", str(data_dir / "audit-checkpoints.jsonl"))
            ),
            audit_checkpoint_seconds=int(_env("AUDIT_CHECKPOINT_SECONDS", "300")),
            link_check_seconds=float(_env("LINK_CHECK_SECONDS", "300")),
            link_recheck_seconds=float(_env("LINK_RECHECK_SECONDS", str(7 * 24 * 3600))),
            link_check_concurrency=int(_env("LINK_CHECK_CONCURRENCY", "8")),
            link_check_timeout=float(_env("LINK_CHECK_TIMEOUT", "10")),
            harvest_poll_seconds=float(_env("HARVEST_POLL_SECONDS", "60")),
            feed_prewrite_seconds=float(_env("FEED_PREWRITE_SECONDS", "3600")),
        )


_settings: Settings | None = None


def get_settings() -> Settings:
    """The process-wide settings, read once."""
    global _settings
    if _settings is None:
        _settings = Settings.from_env()
    return _settings


def use_settings(settings: Settings) -> None:
    """Adopt a parent process's settings (in worker processes)."""
    global _settings
    _settings = settings
