"""The database router of a primary with read replicas (``settings.DATABASE_ROUTERS``).

Every write and every ordinary read goes to the primary (``default``): a page that saved
something and reads it back must find it, and most reads are small. The reporting reads choose
the replica themselves (``.using(reporting_database())``), and an explicit ``using`` wins over
the router. Rows read from the replica may be related to rows of the primary (it is the same
data), and only the primary is migrated: the replica follows it by replication.
"""

from django.db import DEFAULT_DB_ALIAS


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
