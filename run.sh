#!/usr/bin/env bash
# The main job on local defaults: start the local services and the local Functions host, upload the comments CSV
# to the raw bucket, let the S3 notification drive ingestion, and print what reached staging.
#   ./run.sh [--data FILE]
# Data: --data FILE, else ../shared/data/text_comment_1.csv beside the repository, else a generated sample.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD

data=""
while (($#)); do
  case $1 in
    --data) data=${2:?--data needs a file}; shift 2 ;;
    *) echo "usage: ./run.sh [--data FILE]" >&2; exit 2 ;;
  esac
done
if [[ -z $data && -f ../shared/data/text_comment_1.csv ]]; then data=../shared/data/text_comment_1.csv; fi
if [[ -z $data ]]; then
  data=.local/sample/synthetic_comments.csv
  mkdir -p "$(dirname "$data")"
  scripts/synthetic-comments.sh 2000 > "$data"
  echo "run: no data given and no ../shared/data/text_comment_1.csv; generated $data"
fi
[[ -f $data ]] || { echo "run: $data does not exist" >&2; exit 2; }

step() { printf '\n== %s\n' "$*"; }

step "services"
scripts/services.sh up
eval "$(scripts/services.sh env)"

step "build"
mkdir -p .local/logs
for project in tools/Toxic.LocalHost tools/Toxic.Cli; do
  dotnet build "$project" -c Release -nologo > .local/logs/build.log 2>&1 || { cat .local/logs/build.log; exit 1; }
  echo "built $project"
done
toxic() { dotnet "$ROOT/tools/Toxic.Cli/bin/Release/net10.0/toxic.dll" "$@"; }
psql_toxic() { psql "host=127.0.0.1 port=55432 user=toxic dbname=toxic" -X -q -v ON_ERROR_STOP=1 "$@"; }

step "database"
toxic migrate

step "local Functions host on http://127.0.0.1:7071"
mkdir -p .local/logs
host_pid=""
if curl -s -o /dev/null --max-time 2 http://127.0.0.1:7071/; then
  echo "already running"
else
  # Heavy writes since the last run (the benchmarks, say) can invalidate the idle relay's slot: PostgreSQL drops WAL
  # beyond max_slot_wal_keep_size. The relay then refuses to start (the changes are gone); the documented repair is a
  # resnapshot, which this demo applies with a notice rather than failing later at the stream step.
  slot_state=$(psql_toxic -At -c "SELECT wal_status FROM pg_replication_slots WHERE slot_name = 'toxic_cdc_relay'")
  if [[ $slot_state == lost ]]; then
    echo "the CDC relay's slot was invalidated (WAL beyond max_slot_wal_keep_size); repairing: toxic cdc-relay --resnapshot"
    toxic cdc-relay --resnapshot
  fi
  (cd tools/Toxic.LocalHost/bin/Release/net10.0 && exec dotnet toxic-localhost.dll) > .local/logs/localhost.log 2>&1 &
  host_pid=$!
  trap '[[ -n $host_pid ]] && kill "$host_pid" 2>/dev/null; true' EXIT
  for _ in $(seq 1 100); do curl -s -o /dev/null --max-time 1 http://127.0.0.1:7071/ && break; sleep 0.2; done
  curl -s -o /dev/null http://127.0.0.1:7071/ || { tail -20 .local/logs/localhost.log; exit 1; }
  echo "started (pid $host_pid, log .local/logs/localhost.log)"
fi

step "S3 notification: raw bucket -> S3Events function"
toxic s3-notify --endpoint http://127.0.0.1:7071/api/s3/events

key=$(basename "$data")
step "upload $data -> s3://raw/$key"
toxic upload "$data" --key "$key"

step "waiting for the notification to drive ingestion (radosgw takes up to 30 s to start a new persistent topic's queue)"
started=$SECONDS
status=""
for _ in $(seq 1 600); do
  status=$(psql_toxic -At -v key="$key" <<'SQL'
SELECT status FROM staging.loads WHERE store = 's3' AND container = 'raw' AND object_key = :'key'
ORDER BY load_id DESC LIMIT 1;
SQL
)
  [[ -n $status && $status != loading ]] && break
  sleep 0.2
done
if [[ $status != loaded ]]; then
  psql_toxic -v key="$key" -c "SELECT load_id, status, reason FROM staging.loads WHERE store = 's3' AND container = 'raw' AND object_key = :'key'" >&2
  echo "run: the object did not load (status '${status:-none}'); see .local/logs/localhost.log" >&2
  exit 1
fi
echo "$status after $((SECONDS - started)) s"

step "staging"
psql_toxic -v key="$key" <<'SQL'
\pset footer off
SELECT l.load_id, l.object_key, left(l.object_version, 12) AS version, l.rows_loaded, l.rows_rejected,
       round(extract(epoch FROM l.finished_at - l.started_at)::numeric, 2) AS seconds
FROM staging.loads l WHERE l.store = 's3' AND l.container = 'raw' AND l.object_key = :'key';
SELECT count(*) AS rows, sum(labels) AS toxic, round(avg(cardinality(input_ids)), 1) AS avg_tokens,
       max(cardinality(input_ids)) AS max_tokens, count(*) FILTER (WHERE cardinality(input_ids) = 512) AS truncated
FROM staging.comments c JOIN staging.loads l USING (load_id)
WHERE l.store = 's3' AND l.container = 'raw' AND l.object_key = :'key' AND l.status = 'loaded';
SELECT r.line_number, r.reason, left(r.raw_text, 60) AS raw_text
FROM staging.rejected_records r JOIN staging.loads l USING (load_id)
WHERE l.store = 's3' AND l.container = 'raw' AND l.object_key = :'key' ORDER BY line_number LIMIT 5;
SQL
step "loads: every announced object and what became of it (GET /api/loads?status=attention lists those that loaded nothing)"
psql_toxic <<'SQL'
\pset footer off
SELECT status, count(*) AS loads, sum(rows_loaded) AS rows_loaded, sum(rows_rejected) AS rows_rejected
FROM staging.loads GROUP BY status ORDER BY status;
SELECT load_id, store, container, left(object_key, 40) AS object_key, status, left(reason, 70) AS reason
FROM staging.loads WHERE status IN ('failed', 'skipped', 'not_found') ORDER BY started_at DESC LIMIT 5;
SQL
step "stream: source.comments -> CDC relay -> Kafka -> StreamCommentChanges -> staging.stream_comments"
# Part of the sample data goes through the application's table: up to 1,000 sample comments it does not hold yet (each
# run takes the next ones), then 100 edits and 50 deletes. An edit changes the text, not the label: a flipped label
# would give the same comment two labels across the batch and stream origins.
inserted=$(psql_toxic -At -v key="$key" <<'SQL'
WITH inserted AS (
    INSERT INTO source.comments (comment_text, labels)
    SELECT c.comment_text, c.labels FROM staging.comments c JOIN staging.loads l USING (load_id)
    WHERE l.store = 's3' AND l.container = 'raw' AND l.object_key = :'key' AND l.status = 'loaded'
      AND NOT EXISTS (SELECT 1 FROM source.comments s WHERE s.comment_text = c.comment_text)
    ORDER BY c.line_number LIMIT 1000
    RETURNING 1)
SELECT count(*) FROM inserted;
UPDATE source.comments SET comment_text = comment_text || ' (edited)', updated_at = now()
WHERE id IN (SELECT id FROM source.comments ORDER BY created_at DESC LIMIT 100);
DELETE FROM source.comments WHERE id IN (SELECT id FROM source.comments ORDER BY created_at DESC OFFSET 100 LIMIT 50);
SQL
)
echo "inserted ${inserted%%$'\n'*}, edited 100, deleted 50"
differ=""
for _ in $(seq 1 300); do
  differ=$(psql_toxic -At <<'SQL'
SELECT count(*) FROM source.comments s
FULL JOIN (SELECT * FROM staging.stream_comments WHERE NOT deleted) t ON t.source_id = s.id
WHERE s.id IS NULL OR t.source_id IS NULL OR s.comment_text IS DISTINCT FROM t.comment_text OR s.labels IS DISTINCT FROM t.labels;
SQL
)
  [[ $differ == 0 ]] && break
  sleep 0.2
done
[[ $differ == 0 ]] || { echo "run: staging.stream_comments does not match source.comments ($differ rows differ); see .local/logs/localhost.log" >&2; exit 1; }
psql_toxic <<'SQL'
\pset footer off
SELECT (SELECT count(*) FROM source.comments) AS source_rows,
       count(*) FILTER (WHERE NOT deleted) AS staging_live, count(*) FILTER (WHERE deleted) AS staging_deleted,
       count(*) FILTER (WHERE op = 'u') AS updated, (SELECT count(*) FROM staging.stream_dead_letters) AS dead_letters,
       (SELECT count(*) FROM staging.stream_offset_gaps) AS offset_gaps
FROM staging.stream_comments;
SQL
echo "staging.stream_comments equals source.comments"

step "training pipeline (Durable): Transform -> Validate -> ExtractSnapshot -> Train -> Evaluate -> Register -> Promote"
# JSON from the status endpoint, with keys matched case-insensitively (Durable payloads may be PascalCase).
json() {
  python3 -c '
import json, sys
def norm(v):
    if isinstance(v, dict): return {k[:1].lower() + k[1:]: norm(x) for k, x in v.items()}
    if isinstance(v, list): return [norm(x) for x in v]
    return v
d = norm(json.load(sys.stdin))
print(eval(sys.argv[1]))' "$1"
}
status_url=$(curl -sf -X POST http://127.0.0.1:7071/api/pipelines/training | json 'd["statusQueryGetUri"]')
echo "started: $status_url"
runtime="" last=""
for _ in $(seq 1 1200); do
  body=$(curl -sf "$status_url")
  runtime=$(json 'd["runtimeStatus"]' <<<"$body")
  progress=$(json '(d.get("customStatus") or {}).get("stage","")' <<<"$body")
  if [[ $progress != "$last" ]]; then echo "  stage: $progress"; last=$progress; fi
  [[ $runtime == Completed || $runtime == Failed || $runtime == Terminated ]] && break
  sleep 0.5
done
if [[ $runtime != Completed ]]; then
  echo "run: the training pipeline ended $runtime: $(json 'd.get("output")' <<<"$body")" >&2
  exit 1
fi
json '"model {} version {}: {} ({})\nsnapshot {}\ntest split: AUC {:.4f}, F1@0.45 {:.4f}, precision {:.4f}, recall {:.4f}, accuracy {:.4f}\nartifacts: {}".format(
  d["output"]["modelName"], d["output"]["version"], d["output"]["alias"], d["output"]["reason"], d["output"]["snapshot"][:16],
  d["output"]["test"]["auc"], d["output"]["test"]["f1"], d["output"]["test"]["precision"], d["output"]["test"]["recall"],
  d["output"]["test"]["accuracy"], d["output"]["artifactUri"])' <<<"$body"

step "scoring: POST /api/score with the registered champion (ONNX Runtime, micro-batched; API: GET /api/openapi.json)"
curl -sf -X POST http://127.0.0.1:7071/api/score -H 'Content-Type: application/json' \
  -d '{"texts": ["You are a complete idiot, get lost and stop editing.", "Thanks for fixing the citation, the article reads much better now."]}' \
  | python3 -c '
import json, sys
d = json.load(sys.stdin)
texts = ["You are a complete idiot, get lost and stop editing.", "Thanks for fixing the citation, the article reads much better now."]
print("model {} version {}, threshold {}".format(d["model"], d["version"], d["threshold"]))
for t, r in zip(texts, d["results"]):
    print("  {:.4f} label {}  {} tokens{}  {}".format(r["probability"], r["label"], r["tokens"], " (truncated)" if r["truncated"] else "", t))'

step "links: the run's reports, served by the local host"
base=http://127.0.0.1:7071/api
model=$(json 'd["output"]["modelName"]' <<<"$body")
version=$(json 'd["output"]["version"]' <<<"$body")
report=$(curl -sf "$base/validations/latest?suite=staging") || {
  echo "run: $base/validations/latest?suite=staging does not answer: the run's validation report is not in the reports bucket" >&2; exit 1; }
validation=$(json 'd["run_id"]' <<<"$report")
links=(
  "validation report ($(json 'd["status"]' <<<"$report"))|$base/validations/$validation?format=html"
  "ROC curve of $model v$version|$base/models/$model/versions/$version/plots/roc"
  "precision-recall curve|$base/models/$model/versions/$version/plots/pr"
  "registered versions|$base/models"
)
for link in "${links[@]}"; do
  # Only links that answer are printed: a broken one fails the run here, not in the reader's browser.
  curl -sf -o /dev/null "${link#*|}" || {
    echo "run: ${link#*|} does not answer (a local host started by an older build? stop it and run again)" >&2; exit 1; }
  printf '  %-34s %s\n' "${link%%|*}" "${link#*|}"
done
echo "  (the newest report at any time: $base/validations/latest?format=html)"

if [[ -n $host_pid ]]; then
  # The links need the host: it keeps running, and the next ./run.sh uses it.
  trap - EXIT
  echo
  echo "run: done. The local host keeps serving the links (pid $host_pid, log .local/logs/localhost.log): stop it with kill $host_pid"
else
  echo
  echo "run: done."
fi
echo "Services keep running; stop them with scripts/services.sh down"
