#!/usr/bin/env bash
# Sets up everything the tests need (local services, packages) and runs every test against the real services.
#   ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Csv]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

scripts/services.sh up
eval "$(scripts/services.sh env)"

# The reference tokenizer (HuggingFace's Rust library, npm tokenizers) that the tokenizer tests compare against:
# npm ci again when the lock file is newer than the last install. services.sh up has installed node and npm.
ref=tests/reference-tokenizer
if [[ ! -f $ref/node_modules/.package-lock.json || $ref/package-lock.json -nt $ref/node_modules/.package-lock.json ]]; then
  echo "test: installing the reference tokenizer (npm ci in $ref)"
  (cd "$ref" && npm ci --no-audit --no-fund) || { echo "test: error: npm ci failed in $ref" >&2; exit 1; }
fi

dotnet build ToxicFunctions.sln -c Release
dotnet format ToxicFunctions.sln --verify-no-changes --no-restore
dotnet test ToxicFunctions.sln -c Release --no-build "$@"
