-- Request-log retention deletes, across all tenants, the oldest rows before a cutoff; the tenant-first indexes
-- cannot find them without reading every tenant's rows. Built concurrently (outside a transaction) so that a large
-- table keeps taking writes meanwhile.
CREATE INDEX CONCURRENTLY IF NOT EXISTS request_log_occurred_at ON request_log (occurred_at);
