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
# A test still running after 10 minutes is taken as hung (the longest takes about one): vstest then aborts the run and
# names it, rather than the run waiting until CI's limit with nothing said.
dotnet test ToxicFunctions.sln -c Release --no-build --blame-hang-timeout 10m --blame-hang-dump-type none "$@"
