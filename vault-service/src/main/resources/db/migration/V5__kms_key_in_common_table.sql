-- The KMS key binding is now kept by common-lib's KMS client in its own table, qnsp_kms_key (same columns). The
-- vault's table is renamed so an existing vault keeps its key: the client would otherwise make a new KMS key, and
-- the data keys of every stored value would still be wrapped under the old one. Should the client's table already
-- exist (it creates it when missing), the vault's rows are carried over into it.
DO $$
BEGIN
    IF to_regclass('vault_kms_key') IS NOT NULL THEN
        IF to_regclass('qnsp_kms_key') IS NULL THEN
            ALTER TABLE vault_kms_key RENAME TO qnsp_kms_key;
            ALTER INDEX vault_kms_key_pkey RENAME TO qnsp_kms_key_pkey;
        ELSE
            INSERT INTO qnsp_kms_key (key_name, key_id, recorded_at)
                SELECT key_name, key_id, recorded_at FROM vault_kms_key
                ON CONFLICT (key_name) DO UPDATE SET key_id = excluded.key_id, recorded_at = excluded.recorded_at;
            DROP TABLE vault_kms_key;
        END IF;
    END IF;
END
$$;
