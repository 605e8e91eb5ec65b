import os

from piccolo.conf.apps import AppConfig

from catalogue.webhooks.tables import Webhook, WebhookAttempt, WebhookDelivery

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="webhooks",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[Webhook, WebhookDelivery, WebhookAttempt],
    migration_dependencies=["catalogue.onceonly.piccolo_app"],
    commands=[],
)
