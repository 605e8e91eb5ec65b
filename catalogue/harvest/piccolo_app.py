import os

from piccolo.conf.apps import AppConfig

from catalogue.harvest.tables import HarvestJob, HarvestPage, HarvestRecord, HarvestSource

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="harvest",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[HarvestSource, HarvestJob, HarvestRecord, HarvestPage],
    migration_dependencies=["catalogue.datasets.piccolo_app"],
    commands=[],
)
