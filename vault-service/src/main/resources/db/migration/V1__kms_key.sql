-- The KMS key at kms-service under which the vault's data keys are generated (made on first use). The data keys
-- themselves are stored only as kms-service encrypted them, beside the values they protect.
CREATE TABLE vault_kms_key (
    key_name    TEXT PRIMARY KEY,
    key_id      UUID        NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
