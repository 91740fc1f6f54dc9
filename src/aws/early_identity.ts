/**
 * GetCallerIdentity sent before the SDK has loaded, for the default session name ("xrole-" + the
 * caller's name). xrole needs the caller's identity before AssumeRole, and through the SDK that
 * round trip could only start once ~50 ms of SDK modules had loaded; sent here, as one signed GET
 * (the Query API accepts GET), it travels while they load. Only the plain case is handled: static
 * keys (a profile's, or the environment's), a standard partition, no FIPS or dual-stack endpoint.
 * Anything else, and any answer but a plain 200, resolves to undefined and the SDK asks again in
 * its own way (so errors are reported as always).
 */
import { partitionOf } from "../core/arn.ts";
import { type Env } from "../core/env.ts";
import type { CallerIdentity, Credentials } from "../core/model.ts";
import { elementText } from "../core/xml_text.ts";
import { signGet } from "./sigv4_get.ts";
import {
  ENVIRONMENT_PROFILE,
  profileData,
  type SourceSettings,
  staticKeys,
} from "./source_settings.ts";

/** Give up after this long: the SDK's own request follows. */
const EARLY_TIMEOUT_MS = 5_000;

const DNS_SUFFIX: Record<string, string> = {
  "aws": "amazonaws.com",
  "aws-cn": "amazonaws.com.cn",
  "aws-us-gov": "amazonaws.com",
};

/**
 * The STS endpoint the SDK would use for `settings` (the configured one, else the regional
 * endpoint of the region's partition), or undefined when that is not a plain case.
 */
export function earlyStsEndpoint(settings: SourceSettings, env: Env): string | undefined {
  if (settings.endpoints.sts) return settings.endpoints.sts;
  const profile = settings.profile && settings.files
    ? profileData(settings.files, settings.profile)
    : {};
  const on = (v: string | undefined) => v !== undefined && v.trim().toLowerCase() === "true";
  if (
    on(env.AWS_USE_FIPS_ENDPOINT) || on(env.AWS_USE_DUALSTACK_ENDPOINT) ||
    on(profile.use_fips_endpoint) || on(profile.use_dualstack_endpoint)
  ) {
    return undefined;
  }
  const suffix = DNS_SUFFIX[partitionOf(settings.region)];
  if (!suffix || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(settings.region)) return undefined;
  return `https://sts.${settings.region}.${suffix}`;
}

/** The source's static keys, when it has them (a profile's, or the environment's). */
export function earlyCredentials(settings: SourceSettings, env: Env): Credentials | undefined {
  if (settings.profile === ENVIRONMENT_PROFILE) {
    if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) return undefined;
    const creds: Credentials = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    };
    if (env.AWS_SESSION_TOKEN) creds.sessionToken = env.AWS_SESSION_TOKEN;
    return creds;
  }
  if (!settings.profile || !settings.files) return undefined;
  return staticKeys(profileData(settings.files, settings.profile));
}

/**
 * Sends GetCallerIdentity for `settings` now; resolves to the identity, or to undefined when the
 * case is not a plain one or the answer is anything but a plain success. Never rejects.
 */
export async function earlyCallerIdentity(
  settings: SourceSettings,
  env: Env,
  now: () => Date = () => new Date(),
): Promise<CallerIdentity | undefined> {
  const credentials = earlyCredentials(settings, env);
  const endpoint = earlyStsEndpoint(settings, env);
  if (!credentials || !endpoint) return undefined;
  try {
    const url = new URL(endpoint);
    if (url.search || url.hash || !/^https?:$/.test(url.protocol)) return undefined;
    url.search = "Action=GetCallerIdentity&Version=2011-06-15";
    const headers = signGet({
      url,
      region: settings.region,
      service: "sts",
      credentials,
      date: now(),
    });
    const res = await fetch(url, {
      headers,
      redirect: "manual",
      signal: AbortSignal.timeout(EARLY_TIMEOUT_MS),
    });
    const xml = await res.text();
    if (res.status !== 200) return undefined;
    const account = elementText(xml, "Account");
    const arn = elementText(xml, "Arn");
    if (!account || !arn) return undefined;
    return { account, arn, userId: elementText(xml, "UserId") ?? "" };
  } catch {
    return undefined;
  }
}
