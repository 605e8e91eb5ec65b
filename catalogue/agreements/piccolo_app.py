import os

from piccolo.conf.apps import AppConfig

from catalogue.agreements.tables import Agreement

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="agreements",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[Agreement],
    migration_dependencies=["catalogue.datasets.piccolo_app"],
    commands=[],
)
