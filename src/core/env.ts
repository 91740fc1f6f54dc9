/**
 * The environment xrole runs in, passed explicitly so the demo and tests can hand xrole another
 * one in-process. Only src/main.ts reads the real environment (see ENV_NAMES).
 */
export type Env = Readonly<Record<string, string | undefined>>;

/** Every variable xrole reads. main.ts reads exactly these, so `--allow-env` can list them. */
export const ENV_NAMES = [
  "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE",
  "AWS_CONFIG_FILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_CREDENTIAL_EXPIRATION",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_ENDPOINT_URL",
  "AWS_ENDPOINT_URL_STS",
  "AWS_ENDPOINT_URL_S3",
  "AWS_USE_FIPS_ENDPOINT",
  "AWS_USE_DUALSTACK_ENDPOINT",
  "AWS_ROLE_ARN",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "HOME",
  "USERPROFILE",
  "XDG_CONFIG_HOME",
  "XDG_CACHE_HOME",
  "XROLE_CONFIG_DIR",
  "XROLE_CACHE_DIR",
  "NO_COLOR",
  "TERM",
] as const;

/** The region to use when nothing else names one. */
export function defaultRegion(env: Env): string | undefined {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
}
