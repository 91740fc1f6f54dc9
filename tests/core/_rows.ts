/** Bucket rows shared by the output-format tests: done, failed, HeadBucket-found and pending. */
import type { OutputRow } from "../../src/core/format.ts";

export const ROWS: OutputRow[] = [
  {
    name: "acme-logs",
    created: new Date("2021-03-04T05:06:07Z"),
    state: "done",
    region: "eu-west-1",
    regionSource: "location",
  },
  {
    name: "acme-private",
    created: new Date("2020-01-01T00:00:00Z"),
    state: "error",
    error: "AccessDenied",
  },
  { name: "acme-héad", state: "done", region: "us-west-2", regionSource: "head" },
  { name: "acme-slow", created: new Date("2022-12-31T23:59:59Z"), state: "pending" },
];
