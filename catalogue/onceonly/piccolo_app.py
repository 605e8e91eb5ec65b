import os

from piccolo.conf.apps import AppConfig

from catalogue.onceonly.tables import RegisterAttribute, RegisterTerm, ServiceUse

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="onceonly",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[RegisterAttribute, RegisterTerm, ServiceUse],
    migration_dependencies=["catalogue.agreements.piccolo_app"],
    commands=[],
)
