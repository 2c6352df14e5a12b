"""Alembic environment: the schema is the SQLModel metadata of every table (credit7_web.tables)."""

from logging.config import fileConfig

from sqlmodel import SQLModel

import credit7_web.tables  # noqa: F401  (registers the tables)
from alembic import context
from credit7_web.db import app_db_url, make_engine

config = context.config
if config.config_file_name is not None and not config.attributes.get("skip_logging"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

url = config.get_main_option("sqlalchemy.url") or app_db_url()


def run() -> None:
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=SQLModel.metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    with make_engine(url, bounded=False).connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=SQLModel.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


run()
