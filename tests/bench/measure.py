"""Run one command and measure it: wall time and the peak RSS of it and all its descendants.

Usage: /usr/bin/python3 measure.py RESULT_JSON STDOUT_FILE STDERR_FILE -- CMD [ARGS...]

Writes {"wallMs": float, "maxRssKb": int, "code": int} to RESULT_JSON. The peak memory comes from
getrusage(RUSAGE_CHILDREN) after the wait: on Linux its ru_maxrss is the largest resident set of
any waited-for descendant (so a driver that runs many `aws` processes reports the biggest one).
The wrapper itself is not in either number: its start-up happens before the clock starts.
"""
import json
import resource
import subprocess
import sys
import time


def main() -> int:
    if len(sys.argv) < 6 or sys.argv[4] != "--":
        print("usage: measure.py RESULT_JSON STDOUT_FILE STDERR_FILE -- CMD [ARGS...]",
              file=sys.stderr)
        return 2
    result_path, stdout_path, stderr_path = sys.argv[1:4]
    cmd = sys.argv[5:]
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        code = proc.wait()
        wall_ms = (time.monotonic() - start) * 1000.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(result_path, "w", encoding="utf-8") as f:
        json.dump({"wallMs": wall_ms, "maxRssKb": usage.ru_maxrss, "code": code}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
