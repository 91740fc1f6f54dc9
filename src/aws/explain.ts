/**
 * Plain-words hints for AWS error codes, shown under the error by the UI and the CLI.
 * Pure: no SDK import, so any module (and its permission-free tests) may use it.
 */

const HINTS: Readonly<Record<string, string>> = {
  AccessDenied:
    "the role's trust policy does not trust this account, the External ID differs, or your user lacks sts:AssumeRole on this role",
  AccessDeniedException:
    "your credentials are valid but not allowed to do this: check the IAM policies attached to them",
  ExpiredToken: "the credentials have expired: sign in again (or re-assume the role) and retry",
  ExpiredTokenException:
    "the credentials have expired: sign in again (or re-assume the role) and retry",
  InvalidClientTokenId:
    "AWS does not know this access key: it was deleted, deactivated, or belongs to another partition",
  InvalidAccessKeyId:
    "AWS does not know this access key: it was deleted, deactivated, or belongs to another partition",
  SignatureDoesNotMatch:
    "the secret access key does not match the access key id: check the profile's aws_secret_access_key",
  ValidationError:
    "AWS refused a parameter: check the role ARN, the session name (2-64 characters) and the duration (900 s up to the role's maximum)",
  MultiFactorAuthentication:
    "this role requires MFA: pass the MFA device ARN and a current 6-digit code",
  MfaRequired: "this role requires MFA: pass the MFA device ARN and a current 6-digit code",
  InvalidMfaCode: "the MFA code was wrong or already used: wait for the next code and retry",
  RegionDisabledException:
    "STS is not activated in this region for the account: use another region or activate it",
  MalformedPolicyDocument: "the session policy is not valid JSON or not a valid policy",
  PackedPolicyTooLarge: "the session policy or tags are too large",
  SlowDown: "AWS is throttling requests: retry later or lower --concurrency",
  Throttling: "AWS is throttling requests: retry later or lower --concurrency",
  ThrottlingException: "AWS is throttling requests: retry later or lower --concurrency",
  NoSuchBucket: "the bucket was deleted after it was listed",
  timeout: "the lookup took longer than the per-call timeout",
  CredentialsProviderError:
    "no credentials could be loaded for this profile: check the AWS config and credentials files (or run aws sso login)",
  NetworkError: "the endpoint could not be reached: check the network, proxy and --endpoint-url",
};

/** What `code` usually means, in plain words; undefined when there is nothing useful to add. */
export function explainAwsError(code: string, message = ""): string | undefined {
  if (code === "AccessDenied" && /invalid MFA|one time pass|MFA code|token code/i.test(message)) {
    return HINTS.InvalidMfaCode;
  }
  if (code === "AccessDenied" && /MultiFactor|MFA/i.test(message)) {
    return HINTS.MultiFactorAuthentication;
  }
  return HINTS[code];
}
