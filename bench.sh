#!/usr/bin/env bash
# Runs one benchmark against the local services; each ends with one line of key=value figures.
#   ./bench.sh ingest      S3 object -> tokenized staging rows, against plain PostgreSQL COPY of the same CSV
#   ./bench.sh tokenizer   our WordPiece tokenizer against the fastest exact peer, one thread
#   ./bench.sh large       a 1 GB object ingested by the `toxic` process, with its peak memory
#   ./bench.sh validate    the staging data-quality suite on 1,000,000 staging rows, reports included
#   ./bench.sh cdc         source.comments -> relay -> Kafka -> staging at a steady rate and a burst: latency, loss
#   ./bench.sh train       `toxic train` (raw CSV -> model) against scikit-learn vectorize + fit on the same split
#   ./bench.sh score       `toxic serve` over HTTP at concurrency 1, 16, 64 against the same model's in-process batched rate
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
name=${1:?usage: ./bench.sh ingest|tokenizer|large|validate|cdc|train|score [args]}
shift

if [ "$name" = train ]; then
  # The peer needs Debian's scikit-learn (the default python3 may be another interpreter); no services are needed.
  if ! /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
    apt-get install -y --no-install-recommends python3-sklearn >/dev/null \
      || { apt-get update >/dev/null && apt-get install -y --no-install-recommends python3-sklearn >/dev/null; }
  fi
elif [ "$name" = score ]; then
  # No services: toxic serve scores from a model directory. The HTTP load is Debian's wrk.
  if ! command -v wrk >/dev/null; then
    apt-get install -y --no-install-recommends wrk >/dev/null \
      || { apt-get update >/dev/null && apt-get install -y --no-install-recommends wrk >/dev/null; }
  fi
else
  scripts/services.sh up >/dev/null
  eval "$(scripts/services.sh env)"
fi
for project in bench/Toxic.Bench tools/Toxic.Cli tools/Toxic.LocalHost; do
  dotnet build "$project" -c Release -nologo -v quiet >/dev/null || dotnet build "$project" -c Release -nologo
done
dotnet bench/Toxic.Bench/bin/Release/net10.0/Toxic.Bench.dll "$name" "$@"
