/** Child process: loads the AWS profiles of HOME=$1 and prints the error message, if any. */
import { loadAwsProfiles } from "../../src/config/aws_files.ts";

try {
  const out = await loadAwsProfiles({ HOME: Deno.args[0] ?? "" });
  console.log(`ok ${out.profiles.length}`);
} catch (e) {
  console.log(`${(e as Error).name}: ${(e as Error).message}`);
}
