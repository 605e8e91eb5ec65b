import os

from piccolo.conf.apps import AppConfig

from catalogue.audit.tables import AuditEvent

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="audit",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[AuditEvent],
    migration_dependencies=[],
    commands=[],
)
