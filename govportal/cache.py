"""The database cache with an atomic `incr`, the embedded default for counters shared by every
worker process (question rate limits, spent challenges). Django's DatabaseCache already adds
atomically (a unique key, so of two concurrent adds one fails); its `incr` is a read and a
write, which concurrent requests interleave. Here the row is locked first. Production with
several hosts uses Redis (django.core.cache.backends.redis.RedisCache: SET NX and INCRBY)."""

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                table = connection.ops.quote_name(self._table)
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE",
                        [self.make_and_validate_key(key, version=version)],
                    )
            # SQLite: settings open every transaction with BEGIN IMMEDIATE, which already
            # serialises writers for the read and the write below.
            return super().incr(key, delta, version)
