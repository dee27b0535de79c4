#!/usr/bin/env bash
# Sets up everything the tests need (local services, packages) and runs every test against the real services.
#   ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Csv]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

scripts/services.sh up
eval "$(scripts/services.sh env)"

# Node projects the tests run (each tests/NAME/ with a package-lock.json): the reference tokenizer (HuggingFace's Rust
# library, npm tokenizers) and the schema and lint checkers of the deployment files. npm ci again when a lock file is
# newer than the last install. services.sh up has installed node and npm.
for lock in tests/*/package-lock.json; do
  dir=$(dirname "$lock")
  if [[ ! -f $dir/node_modules/.package-lock.json || $lock -nt $dir/node_modules/.package-lock.json ]]; then
    echo "test: installing $dir (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund) || { echo "test: error: npm ci failed in $dir" >&2; exit 1; }
  fi
done

dotnet build ToxicFunctions.sln -c Release
dotnet format ToxicFunctions.sln --verify-no-changes --no-restore
# Each test is listed as it ends. A test still running after 10 minutes is taken as hung (the longest takes about one):
# vstest then aborts the run and names it. A run that has not ended after 30 minutes (about 8 here) is stopped, and the
# processes then alive are listed, so that a hang outside any test says where it is rather than running to CI's limit.
# The output is also kept in a log, and each failed test's name, message and first stack lines are printed again at the
# end: a CI log that keeps only its tail still says what failed and why.
log=$(mktemp -t toxic-test.XXXXXX.log)
status=0
timeout --kill-after=1m 30m dotnet test ToxicFunctions.sln -c Release --no-build --logger "console;verbosity=normal" \
  --blame-hang-timeout 10m --blame-hang-dump-type none "$@" 2>&1 | tee "$log" || status=${PIPESTATUS[0]}
if ((status == 124 || status == 137)); then
  echo "test: error: dotnet test did not end within 30 minutes; the processes alive:" >&2
  ps -eo pid,ppid,etime,stat,args --forest >&2
fi
if ((status != 0)); then
  # What the hosts logged as errors during the run, and the stream's warnings: a failed test's cause is often there,
  # far above the tail. Printed before the failed tests, which stay the last thing in the output.
  echo "test: errors the hosts logged during the run, and the stream's warnings (first lines of each):" >&2
  awk '/^(fail: |warn: [A-Za-z.]*(Kafka|Cdc|Relay))/ { n = 3 } n-- > 0 { print }' "$log" | cut -c1-300 | head -n 45 >&2
  echo "test: the failed tests (full output in $log):" >&2
  awk '/^  Failed / { keep = 1; lines = 0 }
       /^  (Passed|Skipped) / || !/^(  |---)/ { keep = 0 }
       keep && lines++ < 14 { print }' "$log" | cut -c1-400 >&2
fi
exit "$status"
