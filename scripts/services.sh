#!/usr/bin/env bash
# Local services for ToxicFunctions, all on 127.0.0.1, all state under .local/ at the repo root:
#   PostgreSQL 15 (55432), Ceph radosgw S3 (7480), Azurite (10000-10002), Kafka dev broker (9092).
#
#   scripts/services.sh up       install what is missing, start what is not running, print the settings
#   scripts/services.sh down     stop everything (safe when nothing runs)
#   scripts/services.sh status   one line per service; exits 1 if any is down
#   scripts/services.sh env      the settings as `export K='V'` lines: eval "$(scripts/services.sh env)"
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL=$ROOT/.local
LOGS=$LOCAL/logs
RUN=$LOCAL/run

PG_BIN=/usr/lib/postgresql/15/bin
PG_DIR=$LOCAL/pg
PG_DATA=$PG_DIR/data
PG_SOCKETS=$PG_DIR/run
PG_PORT=55432
PG_OS_USER=postgres # postgres refuses to run as root; when we are root it runs as this user

CEPH=$LOCAL/ceph
CEPH_CONF=$CEPH/ceph.conf
S3_PORT=7480
MON_PORT=6789

AZURITE_DIR=$ROOT/scripts/azurite
AZURITE_BIN=$AZURITE_DIR/node_modules/.bin/azurite
AZURITE_PORTS=(10000 10001 10002)

KAFKA_SRC=$ROOT/tools/Toxic.KafkaDevBroker
KAFKA_BIN=$LOCAL/kafka/bin # built here, not in the project's bin/, so other builds never touch the running copy
KAFKA_DLL=$KAFKA_BIN/Toxic.KafkaDevBroker.dll
KAFKA_PORT=9092

# Azurite's public, well-known development account key (not a secret).
AZURITE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
SETTINGS=(
  "Postgres__ConnectionString=Host=127.0.0.1;Port=$PG_PORT;Username=toxic;Database=toxic"
  "S3__ServiceUrl=http://127.0.0.1:$S3_PORT"
  "S3__AccessKey=test"
  "S3__SecretKey=testsecret"
  "RawStorage=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_KEY;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1"
  "Kafka__BootstrapServers=127.0.0.1:$KAFKA_PORT"
)

say() { printf 'services: %s\n' "$*"; }
die() {
  printf 'services: error: %s\n' "$*" >&2
  exit 1
}

# fail SERVICE MESSAGE LOG: stop with the log's last lines, so the cause is on screen.
fail() {
  printf 'services: error: %s %s; see %s\n' "$1" "$2" "$3" >&2
  if [[ -f $3 ]]; then tail -n 15 "$3" | sed 's/^/    /' >&2; fi
  exit 1
}

port_open() { (: <>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
http_answers() { curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/"; }

# alive PID: running, and not a zombie waiting to be reaped (PID 1 here reaps late, and kill -0 succeeds on zombies).
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

# pid_of PIDFILE PATTERN: the pid in PIDFILE if that process is alive and its command line has PATTERN.
pid_of() {
  local pid
  [[ -s $1 ]] || return 1
  pid=$(head -n 1 "$1")
  [[ $pid =~ ^[0-9]+$ ]] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$2" || return 1
  echo "$pid"
}

# stop_pid PIDFILE PATTERN NAME [SECONDS]: SIGTERM, wait up to SECONDS (10), then SIGKILL.
stop_pid() {
  local pid i timeout=${4:-10}
  if pid=$(pid_of "$1" "$2"); then
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < timeout * 10; i++)); do
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then
      say "$3 (pid $pid) did not stop in $timeout s: SIGKILL"
      kill -9 "$pid" 2>/dev/null || true
    fi
    say "$3 stopped"
  fi
  rm -f "$1"
}

# wait_for NAME TIMEOUT LOG CHECK...: poll CHECK every 0.1 s; a CHECK exit code of 2 means "gave up".
wait_for() {
  local name=$1 timeout=$2 log=$3 rc
  shift 3
  local deadline=$((SECONDS + timeout))
  while true; do
    rc=0
    "$@" || rc=$?
    ((rc == 0)) && return 0
    ((rc == 2)) && fail "$name" "exited during start" "$log"
    ((SECONDS < deadline)) || fail "$name" "did not answer within ${timeout} s" "$log"
    sleep 0.1
  done
}

# start_background PIDFILE LOG COMMAND...: a daemon of ours, in its own session so a terminal's Ctrl-C spares it.
# Every daemon (and build server) is started with fd 9 closed: it must not inherit the lock of `lock`.
start_background() {
  local pidfile=$1 log=$2
  shift 2
  setsid nohup "$@" >"$log" 2>&1 </dev/null 9>&- &
  echo "$!" >"$pidfile"
}

as_root() { if ((EUID == 0)); then "$@"; else sudo "$@"; fi; }

# ---------------------------------------------------------------------------------------------- install
apt_install() {
  local log=$LOGS/apt.log
  say "installing $* (apt, log $log)"
  export DEBIAN_FRONTEND=noninteractive
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    as_root apt-get update >>"$log" 2>&1 || fail apt "apt-get update failed" "$log"
  fi
  if ! as_root apt-get install -y --no-install-recommends "$@" >>"$log" 2>&1; then
    as_root apt-get update >>"$log" 2>&1 || fail apt "apt-get update failed" "$log"
    as_root apt-get install -y --no-install-recommends "$@" >>"$log" 2>&1 || fail apt "apt-get install $* failed" "$log"
  fi
}

# The prometheus package's postinst starts its service where an init system lets it (systemd; sysvinit without a
# policy-rc.d that forbids it): a server on :9090 scraping itself, which nothing here uses. Only its binaries are
# wanted, so a service the install started is stopped and kept from starting at boot.
disable_packaged_prometheus() {
  if [[ -d /run/systemd/system ]]; then
    as_root systemctl disable --now prometheus.service >/dev/null 2>&1 || true
  elif [[ -x /etc/init.d/prometheus ]]; then
    as_root /etc/init.d/prometheus stop >/dev/null 2>&1 || true
    as_root update-rc.d prometheus disable >/dev/null 2>&1 || true
  fi
}

ensure_installed() {
  local missing=() cmd
  [[ -x $PG_BIN/postgres && -x $PG_BIN/initdb && -x $PG_BIN/pg_isready ]] || missing+=(postgresql)
  for cmd in ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph; do
    command -v "$cmd" >/dev/null || {
      missing+=(radosgw ceph-mon ceph-osd)
      break
    }
  done
  command -v curl >/dev/null || missing+=(curl)
  command -v npm >/dev/null || missing+=(nodejs npm)
  local prometheus=0 # promtool checks deploy/prometheus; the metrics tests start their own prometheus
  if ! command -v promtool >/dev/null || ! command -v prometheus >/dev/null; then
    missing+=(prometheus)
    prometheus=1
  fi
  if ((${#missing[@]})); then apt_install "${missing[@]}"; fi
  if ((prometheus)); then disable_packaged_prometheus; fi
  command -v dotnet >/dev/null || die "dotnet (the .NET 10 SDK) is needed for the Kafka dev broker"

  # npm ci again when the lock file is newer than the last install.
  if [[ ! -x $AZURITE_BIN || $AZURITE_DIR/package-lock.json -nt $AZURITE_DIR/node_modules/.package-lock.json ]]; then
    say "installing azurite (npm ci, log $LOGS/npm.log)"
    (cd "$AZURITE_DIR" && npm ci --no-audit --no-fund) >"$LOGS/npm.log" 2>&1 9>&- || fail azurite "npm ci failed" "$LOGS/npm.log"
  fi
}

# ------------------------------------------------------------------------------------------- postgres
# Runs from .local/pg: the server user may not be allowed into the caller's working directory.
as_pg() (
  cd "$PG_DIR"
  if ((EUID == 0)); then exec runuser -u "$PG_OS_USER" -- "$@"; else exec "$@"; fi
)

pg_pid() { pid_of "$PG_DATA/postmaster.pid" postgres; }
pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U toxic -d postgres; }
pg_running() { pg_pid >/dev/null && pg_ready; }
pg_detail() { echo "127.0.0.1:$PG_PORT (pid $(pg_pid), data $PG_DATA)"; }

# The server user must be able to reach .local/pg: give "others" search (x) right on the parents that lack it.
pg_make_reachable() {
  local dir=$PG_DIR parents=()
  while [[ $dir != / ]]; do
    dir=$(dirname "$dir")
    parents=("$dir" "${parents[@]}") # from / down
  done
  for dir in "${parents[@]}"; do
    if ! runuser -u "$PG_OS_USER" -- test -x "$dir"; then
      say "postgres: chmod o+x $dir (the $PG_OS_USER user must traverse it to reach .local/pg)"
      chmod o+x "$dir"
    fi
  done
}

pg_start() {
  local log=$LOGS/postgres.log old i=0
  if pg_pid >/dev/null; then return 0; fi # ours, still starting or recovering: pg_wait waits for it
  # A killed postmaster stays a zombie until PID 1 reaps it (~2 s here), and postgres takes that for a live
  # server ("lock file postmaster.pid already exists"): wait for the reaping.
  old=$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)
  if [[ $old =~ ^[0-9]+$ ]]; then
    while [[ -e /proc/$old ]] && ! alive "$old" && ((i++ < 100)); do sleep 0.1; done
  fi
  if port_open "$PG_PORT"; then die "postgres: port $PG_PORT is in use by a process that is not ours"; fi
  mkdir -p "$PG_DIR" "$PG_SOCKETS"
  if ((EUID == 0)); then
    id -u "$PG_OS_USER" >/dev/null 2>&1 || die "postgres: user $PG_OS_USER is missing (it comes with the postgresql package)"
    chown "$PG_OS_USER:" "$PG_DIR" "$PG_SOCKETS"
    pg_make_reachable
  fi
  if [[ ! -s $PG_DATA/PG_VERSION ]]; then
    rm -rf "$PG_DATA" # a half-done initdb
    say "postgres: initdb $PG_DATA"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U toxic --auth=trust --encoding=UTF8 --locale=C.UTF-8 >>"$log" 2>&1 ||
      fail postgres "initdb failed" "$log"
    echo "include = 'toxic.conf'" >>"$PG_DATA/postgresql.conf"
  fi
  # Rewritten on each start, so the socket path follows the repo if it moves.
  cat >"$PG_DATA/toxic.conf" <<EOF
# Written by scripts/services.sh on each start.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCKETS'
wal_level = logical
max_replication_slots = 32
max_wal_senders = 32
# Commit times of rows, so the CDC benchmark measures source commit -> staging commit exactly.
track_commit_timestamp = on
# A relay that died is noticed in seconds, so its restart can take the slot over.
wal_sender_timeout = 10s
# Sized for bulk loads on a developer machine: fewer checkpoints and WAL flushes mid-COPY.
shared_buffers = 1GB
wal_buffers = 64MB
max_wal_size = 8GB
checkpoint_timeout = 30min
# A replication slot nobody reads (a stopped relay, a benchmark's) keeps WAL from being recycled: cap what one may
# hold, so that it cannot fill the disk (an over-cap slot is invalidated; its relay then says so and must re-snapshot).
max_slot_wal_keep_size = 16GB
hba_file = '$PG_DATA/toxic_hba.conf'
EOF
  # Trust on loopback for the developer role, as initdb --auth=trust sets it; but the role the tests use to prove
  # that the product sends passwords (toxic_password_auth, created by those tests) must give one.
  cat >"$PG_DATA/toxic_hba.conf" <<EOF
# Written by scripts/services.sh on each start.
host  all          toxic_password_auth  127.0.0.1/32  scram-sha-256
host  replication  toxic_password_auth  127.0.0.1/32  scram-sha-256
local all          all                                trust
host  all          all                  127.0.0.1/32  trust
host  all          all                  ::1/128       trust
local replication  all                                trust
host  replication  all                  127.0.0.1/32  trust
host  replication  all                  ::1/128       trust
EOF
  if ((EUID == 0)); then chown "$PG_OS_USER:" "$PG_DATA/toxic.conf" "$PG_DATA/toxic_hba.conf"; fi
  # No -l: pg_ctl's own messages and the server's output both go to the log.
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -t 60 start >>"$log" 2>&1 9>&-; then
    fail postgres "did not start" "$log"
  fi
  local psql=("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U toxic -d postgres -qtAX)
  if [[ -z $("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'toxic'") ]]; then
    "${psql[@]}" -c 'CREATE DATABASE toxic' >>"$log" 2>&1 || fail postgres "CREATE DATABASE toxic failed" "$log"
  fi
}

pg_wait() { wait_for postgres 30 "$LOGS/postgres.log" pg_ready; }

pg_stop() {
  local log=$LOGS/postgres.log
  if pg_pid >/dev/null; then
    if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >>"$log" 2>&1; then
      fail postgres "did not stop" "$log"
    fi
    say "postgres stopped"
  fi
}

# --------------------------------------------------------------------------------------- ceph radosgw
CEPH_DAEMONS=(client.rgw.a osd.0 mon.a) # stop order: rgw needs mon and osd to shut down cleanly
ceph_pattern() { case $1 in client.rgw.a) echo radosgw ;; osd.0) echo ceph-osd ;; mon.a) echo ceph-mon ;; esac }
ceph_pid() { pid_of "$CEPH/run/$1.pid" "$(ceph_pattern "$1")"; }

ceph_running() {
  local d
  for d in "${CEPH_DAEMONS[@]}"; do ceph_pid "$d" >/dev/null || return 1; done
  http_answers "$S3_PORT"
}

ceph_detail() {
  echo "http://127.0.0.1:$S3_PORT (ceph mon $(ceph_pid mon.a), osd $(ceph_pid osd.0), radosgw $(ceph_pid client.rgw.a))"
}

# ceph_stop [SECONDS]
ceph_stop() {
  local d
  for d in "${CEPH_DAEMONS[@]}"; do stop_pid "$CEPH/run/$d.pid" "$(ceph_pattern "$d")" "ceph $d" "${1:-10}"; done
}

# A fresh single-node cluster: one mon, one memstore OSD (in memory: S3 data lasts as long as the OSD), radosgw.
ceph_start() {
  local log=$LOGS/ceph/start.log fsid osd_uuid port
  ceph_stop 1 >/dev/null # leftovers of a broken cluster (its data is gone with its OSD): no patience
  for port in "$S3_PORT" "$MON_PORT"; do
    if port_open "$port"; then die "ceph: port $port is in use by a process that is not ours"; fi
  done
  rm -rf "$CEPH"
  mkdir -p "$CEPH"/{run,mon.a,osd.0,rgw.a} "$LOGS/ceph"
  : >"$log"
  fsid=$(cat /proc/sys/kernel/random/uuid)
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  cat >"$CEPH_CONF" <<EOF
# Written by scripts/services.sh: single node, no auth, on 127.0.0.1.
[global]
fsid = $fsid
mon_host = v1:127.0.0.1:$MON_PORT
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_ipv6 = false
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
run_dir = $CEPH/run
admin_socket = $CEPH/run/\$name.asok
pid_file = $CEPH/run/\$name.pid
log_file = $LOGS/ceph/\$name.log
log_to_stderr = false
err_to_stderr = true
mon_cluster_log_file = $LOGS/ceph/cluster.log
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
mon_data_avail_warn = 5
# The mon keeps a few MB here (objects live in memory): do not refuse to start on a disk that is 95% full.
mon_data_avail_crit = 1
mon_allow_pool_delete = true
osd_crush_chooseleaf_type = 0
# Speed: map updates every 10 ms instead of 1 s (start 11.8 s -> ~1.2 s).
paxos_propose_interval = 0.01
paxos_min_wait = 0.001
[mon.a]
mon_data = $CEPH/mon.a
mon_initial_members = a
[osd.0]
osd_data = $CEPH/osd.0
osd_objectstore = memstore
memstore_device_bytes = 8589934592
osd_journal_size = 0
[client.rgw.a]
# tcp_nodelay: small GETs in <3 ms instead of ~44 ms.
rgw_frontends = beast endpoint=127.0.0.1:$S3_PORT tcp_nodelay=1
rgw_data = $CEPH/rgw.a
rgw_thread_pool_size = 64
rgw_enable_usage_log = false
# No bucket lifecycle (expiration) processing: its thread sleeps 5 s at a time and held up shutdown by 5-10 s.
rgw_enable_lc_threads = false
# Deleted objects are reclaimed within seconds, not hours: the OSD keeps everything in memory (memstore), and large
# test objects would otherwise fill it until writes stall.
rgw_gc_obj_min_wait = 0
rgw_gc_processor_period = 5
rgw_gc_processor_max_time = 5
EOF
  # --no-mon-config: with config fetched from the mon, ceph-osd starts with an fsid-less monmap and about one
  # start in four failed its first mon command ("wrong fsid"); the config file has everything.
  {
    monmaptool --create --fsid "$fsid" --addv a "[v1:127.0.0.1:$MON_PORT]" "$CEPH/monmap" &&
      ceph-mon -c "$CEPH_CONF" -i a --mkfs --monmap "$CEPH/monmap" &&
      ceph-mon -c "$CEPH_CONF" -i a &&
      timeout 60 ceph -c "$CEPH_CONF" osd new "$osd_uuid" &&
      ceph-osd -c "$CEPH_CONF" -i 0 --no-mon-config --mkfs --osd-uuid "$osd_uuid" &&
      ceph-osd -c "$CEPH_CONF" -i 0 --no-mon-config &&
      radosgw -c "$CEPH_CONF" -n client.rgw.a
  } >>"$log" 2>&1 9>&- || fail ceph "did not start" "$log"
}

ceph_rgw_check() {
  ceph_pid client.rgw.a >/dev/null || return 2
  http_answers "$S3_PORT"
}

ceph_wait() {
  local log=$LOGS/ceph/start.log
  wait_for "ceph radosgw" 60 "$LOGS/ceph/client.rgw.a.log" ceph_rgw_check
  timeout 60 radosgw-admin -c "$CEPH_CONF" user create --uid=test --display-name=test \
    --access-key=test --secret-key=testsecret >>"$log" 2>&1 9>&- || fail ceph "could not create the S3 user test" "$log"
}

# -------------------------------------------------------------------------------------------- azurite
azurite_pid() { pid_of "$RUN/azurite.pid" azurite; }

azurite_ports_open() {
  local port
  for port in "${AZURITE_PORTS[@]}"; do port_open "$port" || return 1; done
}

azurite_running() { azurite_pid >/dev/null && azurite_ports_open; }
azurite_detail() { echo "127.0.0.1:${AZURITE_PORTS[0]}-${AZURITE_PORTS[2]} (pid $(azurite_pid), data $LOCAL/azurite)"; }

azurite_start() {
  local port
  azurite_stop >/dev/null # ours but not answering
  for port in "${AZURITE_PORTS[@]}"; do
    if port_open "$port"; then die "azurite: port $port is in use by a process that is not ours"; fi
  done
  mkdir -p "$LOCAL/azurite"
  start_background "$RUN/azurite.pid" "$LOGS/azurite.log" "$AZURITE_BIN" \
    --silent --disableTelemetry --skipApiVersionCheck --location "$LOCAL/azurite" \
    --blobHost 127.0.0.1 --blobPort "${AZURITE_PORTS[0]}" \
    --queueHost 127.0.0.1 --queuePort "${AZURITE_PORTS[1]}" \
    --tableHost 127.0.0.1 --tablePort "${AZURITE_PORTS[2]}"
}

azurite_check() {
  azurite_pid >/dev/null || return 2
  azurite_ports_open && http_answers "${AZURITE_PORTS[0]}"
}

azurite_wait() { wait_for azurite 30 "$LOGS/azurite.log" azurite_check; }
azurite_stop() { stop_pid "$RUN/azurite.pid" azurite azurite; }

# ---------------------------------------------------------------------------------------------- kafka
kafka_pid() { pid_of "$RUN/kafka.pid" Toxic.KafkaDevBroker; }
kafka_running() { kafka_pid >/dev/null && port_open "$KAFKA_PORT"; }
kafka_detail() { echo "127.0.0.1:$KAFKA_PORT (pid $(kafka_pid))"; }

# dotnet build only when a source or build setting is newer than the last build.
kafka_build() {
  local log=$LOGS/kafka-build.log newer
  if [[ -f $KAFKA_DLL ]]; then
    newer=$(find "$KAFKA_SRC" "$ROOT"/Directory.Build.props "$ROOT"/Directory.Packages.props "$ROOT"/.editorconfig \
      -path "$KAFKA_SRC/bin" -prune -o -path "$KAFKA_SRC/obj" -prune -o -type f -newer "$KAFKA_DLL" -print -quit 2>/dev/null || true)
    [[ -z $newer ]] && return 0
  fi
  say "kafka: building tools/Toxic.KafkaDevBroker (log $log)"
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
    dotnet build "$KAFKA_SRC/Toxic.KafkaDevBroker.csproj" -c Release -o "$KAFKA_BIN" >"$log" 2>&1 9>&- ||
    fail kafka "build failed" "$log"
  touch "$KAFKA_DLL"
}

kafka_start() {
  kafka_stop >/dev/null # ours but not answering
  if port_open "$KAFKA_PORT"; then die "kafka: port $KAFKA_PORT is in use by a process that is not ours"; fi
  kafka_build
  start_background "$RUN/kafka.pid" "$LOGS/kafka.log" dotnet "$KAFKA_DLL" --port "$KAFKA_PORT"
}

kafka_check() {
  kafka_pid >/dev/null || return 2
  grep -q '^Kafka dev broker ready' "$LOGS/kafka.log" && port_open "$KAFKA_PORT"
}

kafka_wait() { wait_for kafka 60 "$LOGS/kafka.log" kafka_check; }
kafka_stop() { stop_pid "$RUN/kafka.pid" Toxic.KafkaDevBroker kafka; }

# ------------------------------------------------------------------------------------------- commands
SERVICES=(pg ceph azurite kafka)
START_ORDER=(azurite kafka pg ceph) # the background ones first, so their start overlaps the others'
service_name() { case $1 in pg) echo postgres ;; ceph) echo s3 ;; *) echo "$1" ;; esac }

lock() {
  mkdir -p "$LOGS" "$RUN"
  exec 9>"$LOCAL/services.lock"
  flock -w 300 9 || die "another services.sh holds $LOCAL/services.lock"
}

print_settings() {
  local kv
  for kv in "${SETTINGS[@]}"; do
    if [[ ${1:-} == export ]]; then
      printf "export %s='%s'\n" "${kv%%=*}" "$(printf '%s' "${kv#*=}" | sed "s/'/'\\\\''/g")"
    else
      printf '%s\n' "$kv"
    fi
  done
}

cmd_up() {
  local started=() svc start=${EPOCHREALTIME//[!0-9]/} ms
  lock
  ensure_installed
  for svc in "${START_ORDER[@]}"; do
    if "${svc}_running"; then
      say "$(service_name "$svc") already running"
    else
      say "$(service_name "$svc") starting"
      "${svc}_start"
      started+=("$svc")
    fi
  done
  for svc in "${started[@]}"; do
    "${svc}_wait"
    say "$(service_name "$svc") up"
  done
  ms=$(((${EPOCHREALTIME//[!0-9]/} - start) / 1000))
  say "all up ($((ms / 1000)).$((ms % 1000 / 100)) s)"
  echo
  echo "Settings (export these, or: eval \"\$(scripts/services.sh env)\"):"
  print_settings
}

cmd_down() {
  lock
  kafka_stop
  azurite_stop
  ceph_stop
  pg_stop
  say "all stopped"
}

cmd_status() {
  local down=0 svc
  for svc in "${SERVICES[@]}"; do
    if "${svc}_running"; then
      printf '%-10s up    %s\n' "$(service_name "$svc")" "$("${svc}_detail")"
    else
      printf '%-10s down\n' "$(service_name "$svc")"
      down=1
    fi
  done
  return "$down"
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) print_settings export ;;
  *)
    sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
    exit 2
    ;;
esac
