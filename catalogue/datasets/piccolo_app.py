import os

from piccolo.conf.apps import AppConfig

from catalogue.datasets.tables import Dataset, DatasetRevision, DatasetTheme, IdentifierScheme

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="datasets",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[Dataset, DatasetTheme, DatasetRevision, IdentifierScheme],
    migration_dependencies=["catalogue.accounts.piccolo_app"],
    commands=[],
)
