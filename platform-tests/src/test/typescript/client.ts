// A client of the platform written against TypeScript types that openapi-typescript generated from the documents
// the gateway serves, calling through the gateway with openapi-fetch. `tsc --strict` must accept it as it is: an
// operation that asked for a parameter no client can send (such as the server-side caller), a wrong path or a
// wrongly typed answer would not compile. It prints what it got as one JSON line for the test to check.
import createClient from "openapi-fetch";
import type { paths as Auth } from "./gen/auth.js";
import type { paths as RateLimit } from "./gen/ratelimit.js";
import type { paths as Audit } from "./gen/audit.js";
import type { paths as Gateway } from "./gen/gateway.js";
import type { paths as Kms } from "./gen/kms.js";
import type { paths as Vault } from "./gen/vault.js";

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(`${name} is not set`);
  }
  return value;
}

const baseUrl = required("QNSP_GATEWAY");
const bearer = { Authorization: `Bearer ${required("QNSP_TOKEN")}` };
const adminToken = { "X-Admin-Token": required("QNSP_ADMIN_TOKEN") };
const apiKey = { "X-API-Key": required("QNSP_API_KEY") };

async function main(): Promise<void> {
  const auth = createClient<Auth>({ baseUrl });
  const ratelimit = createClient<RateLimit>({ baseUrl });
  const audit = createClient<Audit>({ baseUrl });
  const gateway = createClient<Gateway>({ baseUrl });
  const kms = createClient<Kms>({ baseUrl });
  const vault = createClient<Vault>({ baseUrl });

  // DataHub keys of the token's tenant: the caller is whoever the token says
  const keys = await auth.GET("/api/v1/keys", { headers: bearer, params: { query: { pageSize: 50 } } });
  const keyNames: string[] = keys.data?.data.map((key) => key.name) ?? [];

  // a rate-limit key issued and listed with the operator token
  const name = `generated-client-${Date.now()}`;
  const created = await ratelimit.POST("/v1/api-keys", { headers: adminToken, body: { name } });
  const listed = await ratelimit.GET("/v1/api-keys", { headers: adminToken, params: { query: { size: 200 } } });
  const rateLimitKeyNames: string[] = listed.data?.map((key) => key.name) ?? [];

  // the tenant's audit trail, through the gateway's prefix for audit-service
  const events = await audit.GET("/audit/v1/events", { headers: bearer, params: { query: { limit: 10 } } });

  // the calling key's own limits, answered by the gateway itself
  const limits = await gateway.GET("/api/v1/rate-limits/status", { headers: apiKey });

  // a post-quantum key of the token's tenant: a value encrypted under a context, decrypted by the ciphertext alone
  const kmsKey = await kms.POST("/kms/v1/keys", {
    headers: bearer, body: { name: `generated-client-${Date.now()}`, algorithm: "ML-KEM-768" },
  });
  const keyId = kmsKey.data?.keyId ?? "";
  const encryptionContext = { client: "generated" };
  const sealed = await kms.POST("/kms/v1/keys/{keyId}/encrypt", {
    headers: bearer, params: { path: { keyId } },
    body: { plaintext: Buffer.from("from a generated client").toString("base64"), encryptionContext },
  });
  const opened = await kms.POST("/kms/v1/decrypt", {
    headers: bearer, body: { ciphertext: sealed.data?.ciphertext ?? "", encryptionContext },
  });

  // a secret written and read back through the gateway's prefix for vault-service
  const secretId = `generated-client-${Date.now()}`;
  const written = await vault.POST("/vault/v1/versioned-secrets", {
    headers: bearer, body: { secretId, value: "from a generated client", metadata: { reason: "client test" } },
  });
  const read = await vault.GET("/vault/v1/versioned-secrets/{secretId}/versions/{version}", {
    headers: bearer, params: { path: { secretId, version: written.data?.version ?? 0 } },
  });

  console.log(JSON.stringify({
    authKeys: { status: keys.response.status, names: keyNames },
    rateLimitKey: { status: created.response.status, keyId: created.data?.keyId ?? null },
    rateLimitKeys: { status: listed.response.status, names: rateLimitKeyNames, created: name },
    auditEvents: { status: events.response.status },
    rateLimitStatus: { status: limits.response.status, windows: Object.keys(limits.data?.data.limits ?? {}) },
    kms: {
      created: kmsKey.response.status, encrypted: sealed.response.status, decrypted: opened.response.status,
      plaintext: Buffer.from(opened.data?.plaintext ?? "", "base64").toString("utf8"),
    },
    vault: {
      written: written.response.status, version: written.data?.version ?? null, read: read.response.status,
      value: read.data?.value ?? null,
    },
  }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
