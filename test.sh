#!/usr/bin/env bash
# Sets up everything the tests need (local services, packages) and runs every test against the real services.
#   ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Csv]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

scripts/services.sh up
eval "$(scripts/services.sh env)"

dotnet build ToxicFunctions.sln -c Release
dotnet format ToxicFunctions.sln --verify-no-changes --no-restore
dotnet test ToxicFunctions.sln -c Release --no-build "$@"
