#!/usr/bin/env bash
# A private Virtuoso Open Source server for plangraph: to try `plangraph push` and
# `plangraph query --endpoint` against a big store, and for the comparison test
# (tests/analysis/test_virtuoso.py).
#
#   scripts/virtuoso.sh install   install Debian's Virtuoso 7 binaries if virtuoso-t is missing
#   scripts/virtuoso.sh start     create (first time) and start a server, wait until it answers
#   scripts/virtuoso.sh stop      stop it
#   scripts/virtuoso.sh status    say whether it runs, and where
#
# Settings (environment):
#   VIRTUOSO_DIR            database directory (default: build/virtuoso); delete it to start afresh
#   VIRTUOSO_PORT           HTTP port: SPARQL at http://127.0.0.1:PORT/sparql (default 8890)
#   VIRTUOSO_SQL_PORT       SQL port for isql-vt (default 1111)
#   VIRTUOSO_DBA_PASSWORD   password of the `dba` user, set when the database is created; if
#                           unset, a random one is written to $VIRTUOSO_DIR/dba-password (0600)
#
# The server listens on 127.0.0.1 only, runs as the calling user, and keeps everything in
# VIRTUOSO_DIR. It is not Debian's system service (package virtuoso-opensource-7, database in
# /var/lib): `install` takes only the binaries (package virtuoso-opensource-7-bin), so nothing
# starts at boot and no debconf question is asked. docs/endpoint.md describes both.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${VIRTUOSO_DIR:-$ROOT/build/virtuoso}"
HTTP_PORT="${VIRTUOSO_PORT:-8890}"
SQL_PORT="${VIRTUOSO_SQL_PORT:-1111}"
START_TIMEOUT="${VIRTUOSO_START_TIMEOUT:-180}"

die() {
  echo "virtuoso.sh: $*" >&2
  exit 1
}

install() {
  if command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1; then
    return 0
  fi
  echo "Installing Virtuoso Open Source 7 (Debian package virtuoso-opensource-7-bin)"
  local sudo=
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "not root and no sudo: install virtuoso-opensource-7-bin"
    sudo=sudo
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    virtuoso-opensource-7-bin >/dev/null
  command -v virtuoso-t >/dev/null 2>&1 || die "virtuoso-t is still missing after the install"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pid_running() {
  [ -f "$DIR/virtuoso.pid" ] && kill -0 "$(cat "$DIR/virtuoso.pid")" 2>/dev/null
}

# The server's pid as it writes it into its lock file (setsid forks when started from a shell
# with job control, so the pid of the process started may not be the server's)
server_running() {
  local pid
  pid="$(sed -n 's/^VIRT_PID=//p' "$DIR/virtuoso.lck" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    echo "$pid" >"$DIR/virtuoso.pid"
    return 0
  fi
  pid_running
}

write_ini() {
  cat >"$DIR/virtuoso.ini" <<EOF
; written by scripts/virtuoso.sh
[Database]
DatabaseFile       = $DIR/virtuoso.db
ErrorLogFile       = $DIR/virtuoso.log
LockFile           = $DIR/virtuoso.lck
TransactionFile    = $DIR/virtuoso.trx
xa_persistent_file = $DIR/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $DIR/virtuoso-temp.db
TransactionFile    = $DIR/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = 127.0.0.1:$SQL_PORT
DisableUnixSocket  = 1
CaseMode           = 2
DirsAllowed        = $DIR
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
MaxQueryMem        = 1G

[HTTPServer]
ServerPort         = 127.0.0.1:$HTTP_PORT
ServerRoot         = $DIR/www
ServerThreads      = 10
MaxClientConnections = 10
Charset            = UTF-8
EnabledDavVSP      = 0

[SPARQL]
; Debian's default is 10000 rows, and Virtuoso then cuts answers short without an error
ResultSetMaxRows   = 10000000
MaxQueryExecutionTime = 300
MaxQueryCostEstimationTime = 400
EOF
}

set_password() {
  local password="${VIRTUOSO_DBA_PASSWORD:-}"
  if [ -z "$password" ]; then
    password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=\n')"
    (umask 077 && printf '%s\n' "$password" >"$DIR/dba-password")
    echo "dba password written to $DIR/dba-password"
  fi
  local quoted="${password//\'/\'\'}"
  # through stdin, not the command line; the login is the new database's default dba/dba
  if ! printf "USER_PASSWORD_SET ('dba', '%s');\nUSER_PASSWORD_SET ('dav', '%s');\ncheckpoint;\n" \
    "$quoted" "$quoted" | isql-vt "127.0.0.1:$SQL_PORT" dba dba >"$DIR/isql.log" 2>&1 ||
    grep -q 'Error' "$DIR/isql.log"; then
    stop >/dev/null
    rm -f "$DIR/virtuoso.db"  # a new database again next time, not one with dba/dba
    die "could not set the dba password (see $DIR/isql.log); server stopped"
  fi
  rm -f "$DIR/isql.log"
}

start() {
  command -v virtuoso-t >/dev/null 2>&1 || die "virtuoso-t is not installed: scripts/virtuoso.sh install"
  if pid_running; then
    echo "already running (pid $(cat "$DIR/virtuoso.pid")): http://127.0.0.1:$HTTP_PORT/sparql"
    return 0
  fi
  case "${VIRTUOSO_DBA_PASSWORD:-}" in
    *\\* | *$'\n'*) die "VIRTUOSO_DBA_PASSWORD: no backslash or line break, please" ;;
  esac
  for port in "$HTTP_PORT" "$SQL_PORT"; do
    port_in_use "$port" && die "port $port is in use: set VIRTUOSO_PORT / VIRTUOSO_SQL_PORT"
  done
  mkdir -p "$DIR/www"
  local fresh=
  [ -f "$DIR/virtuoso.db" ] || fresh=1
  write_ini
  rm -f "$DIR/virtuoso.lck"  # a stale one (the ports are free: no server runs here)
  local started=$SECONDS
  (cd "$DIR" && exec setsid virtuoso-t +foreground +configfile "$DIR/virtuoso.ini" \
    </dev/null >"$DIR/virtuoso.out" 2>&1) &
  echo $! >"$DIR/virtuoso.pid"
  local url="http://127.0.0.1:$HTTP_PORT/sparql"
  until curl -fsS -o /dev/null --max-time 5 "$url?query=ASK%7B%7D" 2>/dev/null; do
    if ! server_running; then
      tail -n 20 "$DIR/virtuoso.log" "$DIR/virtuoso.out" >&2 2>/dev/null || true
      die "virtuoso-t exited"
    fi
    if [ $((SECONDS - started)) -ge "$START_TIMEOUT" ]; then
      stop >/dev/null 2>&1 || true
      die "no answer on $url after ${START_TIMEOUT} s"
    fi
    sleep 0.5
  done
  server_running || die "virtuoso-t answers but its process is not found"
  [ -n "$fresh" ] && set_password
  echo "Virtuoso $(virtuoso-t --help 2>&1 | sed -n 's/^Version \([^ ]*\).*/\1/p') up in $((SECONDS - started)) s" \
    "(pid $(cat "$DIR/virtuoso.pid"), database $DIR)"
  echo "  SPARQL:      $url"
  echo "  Graph Store: http://127.0.0.1:$HTTP_PORT/sparql-graph-crud-auth  (user dba, HTTP digest)"
}

stop() {
  if ! pid_running; then
    rm -f "$DIR/virtuoso.pid"
    echo "not running"
    return 0
  fi
  local pid
  pid="$(cat "$DIR/virtuoso.pid")"
  kill -TERM "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
  fi
  rm -f "$DIR/virtuoso.pid"
  echo "stopped (pid $pid)"
}

status() {
  if pid_running; then
    echo "running (pid $(cat "$DIR/virtuoso.pid"), database $DIR)"
  else
    echo "not running"
    return 3
  fi
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
