import os

from piccolo.conf.apps import AppConfig

from catalogue.quality.tables import DatasetLink, LinkCheck, QualityDaily, QualityScore

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="quality",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[QualityScore, LinkCheck, DatasetLink, QualityDaily],
    migration_dependencies=["catalogue.onceonly.piccolo_app"],
    commands=[],
)
