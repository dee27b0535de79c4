#!/usr/bin/env bash
# One-shot service of docker-compose.yml (connector-init): registers deploy/debezium/source-comments-connector.json
# with Kafka Connect, unchanged (its ${env:TOXIC_PG_*} values are resolved by the worker's EnvVarConfigProvider from
# the connect service's environment), and waits until its task runs.
#   CONNECT_URL   Kafka Connect's REST API (default http://connect:8083)
#   CONNECTOR     the connector file (default /debezium/source-comments-connector.json)
set -euo pipefail
url=${CONNECT_URL:-http://connect:8083}
file=${CONNECTOR:-/debezium/source-comments-connector.json}
name=toxic-source-comments

# 201: registered; 409: already registered (a second `docker compose up`), which keeps the stored config.
for attempt in $(seq 1 60); do
  code=$(curl -sS -o /tmp/answer -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data "@$file" "$url/connectors" || echo 000)
  if [[ $code == 201 || $code == 409 ]]; then
    echo "connector-init: $name registered (HTTP $code)"
    break
  fi
  echo "connector-init: Connect answered HTTP $code (attempt $attempt): $(cat /tmp/answer 2>/dev/null || true)"
  [[ $attempt == 60 ]] && exit 1
  sleep 5
done

# The publication toxic_source_comments and the table source.comments come from the schema migrations, which the
# functions container applies when it starts (Postgres__MigrateOnStartup): a task that started before them failed
# (publication.autocreate.mode is disabled) and is restarted until it runs.
for attempt in $(seq 1 60); do
  status=$(curl -sS "$url/connectors/$name/status" || true)
  if [[ $status == *'"tasks":[{'* && $status != *FAILED* ]]; then
    echo "connector-init: $name is running: $status"
    exit 0
  fi
  if [[ $status == *FAILED* ]]; then
    echo "connector-init: restarting failed parts of $name: $status"
    curl -sS -o /dev/null -X POST "$url/connectors/$name/restart?includeTasks=true&onlyFailed=true" || true
  fi
  sleep 5
done
echo "connector-init: $name did not reach RUNNING: $status" >&2
exit 1
