import os

from piccolo.conf.apps import AppConfig

from catalogue.search.tables import ChangeLog, SearchState

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="search",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[ChangeLog, SearchState],
    migration_dependencies=["catalogue.datasets.piccolo_app"],
    commands=[],
)
