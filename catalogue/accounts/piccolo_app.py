import os

from piccolo.conf.apps import AppConfig

from catalogue.accounts.tables import ApiToken, Membership, SignInThrottle, User, UserSession

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="accounts",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[User, Membership, ApiToken, SignInThrottle, UserSession],
    migration_dependencies=["catalogue.organisations.piccolo_app"],
    commands=[],
)
