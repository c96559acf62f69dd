#!/usr/bin/env bash
# Scale-out across hosts, on one machine: every server in a network namespace of its own, with its
# own address, as if on a host of its own. Runs a three-node ZooKeeper ensemble and three providers
# of io.minirpc.example.scaleout.NodeNameService in seven namespaces, and a caller in an eighth
# that calls them at a steady rate; then kills (SIGKILL) the ZooKeeper leader, and after that one
# provider, and prints the figures: calls, failed calls (there must be none: the method is
# @Idempotent), the calls each provider answered before and after each kill, and how long the
# caller and the ensemble took to notice each loss. docs/DISCOVERY.md ("Scale-out across hosts,
# tested") explains each figure.
#
#   scripts/scaleout-netns.sh [WORK_DIR]
#
# after `mvn -B -q install -DskipTests` (it runs rpc-example/target/minirpc-example.jar; the
# environment variable MINIRPC_EXAMPLE_JAR names another). Each process logs to WORK_DIR/NAME.log
# (default: ${TMPDIR:-/tmp}/minirpc-scaleout), replacing an earlier run's logs; ZooKeeper keeps its
# data there during the run. JAVA=/path/to/java picks the JVM.
#
# Needs root and iproute2 (ip netns, veth, a bridge). The namespaces are named mrso-*, and the
# bridge that joins them lives in one of them (mrso-hub), not in the machine's own namespace: the
# test's traffic (10.213.0.0/24) never touches the host's interfaces. Its namespaces and processes
# are removed when it ends, however it ends; what a killed earlier run left is removed first.
# It ends by itself within MINIRPC_SCALEOUT_TIME_LIMIT seconds (90 by default).
#
# Exit status: 0 when the run kept every promise; 1 when not, or when a step failed (the logs'
# last lines are printed); 3 when this machine cannot make network namespaces (not root, no ip, no
# permission), so that callers can say so; 124 when it ran over its time limit.
set -euo pipefail

readonly PREFIX=mrso-
readonly LIMIT=${MINIRPC_SCALEOUT_TIME_LIMIT:-90}

# The time limit covers everything, clean-up included: timeout sends SIGTERM (the trap below then
# cleans up) and SIGKILL 10 s later should that hang.
if [ -z "${MINIRPC_SCALEOUT_TIMED:-}" ]; then
  if ! command -v timeout >/dev/null 2>&1; then
    echo "scaleout-netns: timeout (coreutils) is missing" >&2
    exit 1
  fi
  export MINIRPC_SCALEOUT_TIMED=1
  exec timeout -k 10 "$LIMIT" bash "$0" "$@"
fi

root=$(cd "$(dirname "$0")/.." && pwd)
jar=${MINIRPC_EXAMPLE_JAR:-$root/rpc-example/target/minirpc-example.jar}
java=${JAVA:-java}
work=${1:-${TMPDIR:-/tmp}/minirpc-scaleout}

# Small JVMs that start fast: two cores run seven of them.
jvm=(-Xms16m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:-UsePerfData
  -Djava.net.preferIPv4Stack=true)

readonly ZOOKEEPERS=(zk1 zk2 zk3)
readonly PROVIDERS=(p1 p2 p3)
declare -A ip=([zk1]=10.213.0.11 [zk2]=10.213.0.12 [zk3]=10.213.0.13
  [p1]=10.213.0.21 [p2]=10.213.0.22 [p3]=10.213.0.23 [caller]=10.213.0.31)
readonly NODES=("${ZOOKEEPERS[@]}" "${PROVIDERS[@]}" caller)
readonly PROVIDER_PORT=7070
# A provider's node vanishes this long after it dies. Not shorter: when the leader dies, a client
# takes up to some 3 s to find a server that serves again (ZooKeeper's client waits up to a second
# between servers), and a session given up as lost would be a new one, its nodes made again.
readonly SESSION_TIMEOUT_MS=8000
# 100 calls/s, each answered 100 ms after it reaches its provider: some three calls in flight on
# each provider, so that the provider killed takes calls with it (retried elsewhere, @Idempotent).
readonly RATE=100
readonly DELAY_MS=100
# Seconds of steady load before the first kill and after each loss is dealt with.
readonly HOLD=3
connect_string=$(printf '%s:2181,' "${ip[zk1]}" "${ip[zk2]}" "${ip[zk3]}")
connect_string=${connect_string%,}
declare -A pid=()

now_ms() {
  local micros=${EPOCHREALTIME/[.,]/}
  echo $((micros / 1000))
}
readonly START_MS=$(now_ms)

say() {
  local ms=$(($(now_ms) - START_MS))
  printf '[%3d.%ds] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*"
}

cannot() {
  echo "scaleout-netns: cannot make network namespaces here: $*" >&2
  exit 3
}

fail() {
  say "FAILED: $*"
  exit 1
}

# --- preconditions --------------------------------------------------------------------------------

[ "$(id -u)" = 0 ] || cannot "it must run as root (ip netns add), and runs as uid $(id -u)"
command -v ip >/dev/null 2>&1 || cannot "ip (iproute2) is missing: apt-get install iproute2"
command -v "$java" >/dev/null 2>&1 || fail "no java ($java)"
[ -f "$jar" ] || fail "$jar is missing: mvn -B -q install -DskipTests first"

# One run at a time: a second would take the first's namespaces for leftovers.
if command -v flock >/dev/null 2>&1; then
  exec 9>"${TMPDIR:-/tmp}/minirpc-scaleout.lock"
  flock -n 9 || fail "another scaleout-netns.sh is running"
fi

# --- clean-up -------------------------------------------------------------------------------------

our_namespaces() {
  ip netns list 2>/dev/null | awk -v p="$PREFIX" 'index($1, p) == 1 { print $1 }'
}

# Kills the processes in our namespaces (by their pids) and deletes the namespaces, and with them
# their interfaces.
remove_namespaces() {
  local ns p pids deadline
  for ns in $(our_namespaces); do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    for p in $pids; do
      kill -KILL "$p" 2>/dev/null || true
    done
    deadline=$(($(now_ms) + 5000))
    while [ -n "$(ip netns pids "$ns" 2>/dev/null || true)" ] && [ "$(now_ms)" -lt "$deadline" ]; do
      sleep 0.1
    done
    ip netns del "$ns" 2>/dev/null || true
  done
}

finish() {
  local status=$?
  trap - EXIT INT TERM
  local p
  for p in "${pid[@]}"; do
    kill -KILL "$p" 2>/dev/null || true
  done
  # Reaped here, so that bash does not report each as killed.
  for p in "${pid[@]}"; do
    wait "$p" 2>/dev/null || true
  done
  remove_namespaces
  # The logs stay; ZooKeeper's data is of no use after the run.
  rm -rf "$work"/zk?/data
  if [ -n "$(our_namespaces)" ]; then
    echo "scaleout-netns: could not delete $(our_namespaces | tr '\n' ' ')" >&2
  fi
  exit "$status"
}
trap finish EXIT
trap 'say "stopped by SIGTERM (the time limit is $LIMIT s)"; exit 143' TERM
trap 'exit 130' INT

left=$(our_namespaces)
if [ -n "$left" ]; then
  say "removing what an earlier run left: $(echo "$left" | tr '\n' ' ')"
  remove_namespaces
fi
mkdir -p "$work"
# Only what an earlier run wrote there: the directory may hold other things.
for node in "${NODES[@]}"; do
  rm -rf "${work:?}/$node.log" "${work:?}/$node"
done
rm -f "$work/caller.commands"

if ! error=$(ip netns add "${PREFIX}probe" 2>&1); then
  cannot "ip netns add failed: $error"
fi
ip netns del "${PREFIX}probe"

# --- the network ----------------------------------------------------------------------------------

host_links_before=$(ip -o link show | wc -l)
hub=${PREFIX}hub
ip netns add "$hub"
ip -n "$hub" link set lo up
ip -n "$hub" link add br0 type bridge
ip -n "$hub" link set br0 up
for node in "${NODES[@]}"; do
  ns=$PREFIX$node
  ip netns add "$ns"
  # Both ends are made where they belong: neither passes through the host's namespace.
  ip -n "$hub" link add "v-$node" type veth peer name eth0 netns "$ns"
  ip -n "$hub" link set "v-$node" master br0 up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "${ip[$node]}/24" dev eth0
  ip -n "$ns" link set eth0 up
done
host_links_after=$(ip -o link show | wc -l)
say "namespaces ${NODES[*]/#/$PREFIX}, joined by a bridge in $hub: 10.213.0.0/24"

# --- helpers --------------------------------------------------------------------------------------

# start NODE COMMAND...: runs the command in the node's namespace, logging to WORK/NODE.log, its
# input from the file $input (/dev/null when not set). It does not inherit the lock (fd 9), which
# an orphan of a killed run would otherwise hold, nor the caller's commands (fd 8).
start() {
  local node=$1
  shift
  ip netns exec "$PREFIX$node" "$@" <"${input:-/dev/null}" >"$work/$node.log" 2>&1 8>&- 9>&- &
  pid[$node]=$!
}

alive() {
  kill -0 "${pid[$1]}" 2>/dev/null
}

# The last lines of a node's log, for a failure's report.
show_log() {
  echo "--- last lines of $work/$1.log"
  tail -n 25 "$work/$1.log" 2>/dev/null || true
}

# Fails, with its log, if an expected process has died.
check_alive() {
  local node
  for node in "$@"; do
    if ! alive "$node"; then
      show_log "$node"
      fail "$node died"
    fi
  done
}

# A ZooKeeper node's mode (leader, follower) as it answers srvr, asked from the caller's namespace.
zk_mode() {
  ip netns exec "${PREFIX}caller" timeout 2 bash -c \
    'exec 3<>"/dev/tcp/$0/2181" && printf srvr >&3 && cat <&3' "${ip[$1]}" 2>/dev/null |
    awk -F': ' '$1 == "Mode" { print $2 }' || true
}

# The first EVENT of a node's log at or after a time: first_event NODE SINCE_MS KIND DETAIL...
first_event() {
  local node=$1 since=$2 kind=$3
  shift 3
  awk -v since="$since" -v kind="$kind" -v detail="$*" '
    $1 == "EVENT" && $2 >= since && $3 == kind {
      rest = $4
      for (i = 5; i <= NF; i++) rest = rest " " $i
      if (index(rest, detail) == 1) { print $2; exit }
    }' \
    "$work/$node.log"
}

# The ZooKeeper server a node's client is connected to now.
zk_peer() {
  ip netns exec "$PREFIX$1" ss -Htn state established '( dport = :2181 )' 2>/dev/null |
    awk '{ print $4 }' | head -n 1
}

# Keeps the load on for some seconds, checking that every process that should live does.
hold() {
  local until=$(($(now_ms) + $1 * 1000))
  shift
  while [ "$(now_ms)" -lt "$until" ]; do
    check_alive "$@"
    sleep 0.2
  done
}

# --- the ensemble ---------------------------------------------------------------------------------

for i in 1 2 3; do
  node=zk$i
  mkdir -p "$work/$node/data"
  echo "$i" >"$work/$node/data/myid"
  # tickTime 500 ms: sessions of 1 to 10 s are allowed, and elections are quick. No admin server
  # (Jetty is not in the jar); srvr tells a member's mode; 1 MiB transaction log files, not 64.
  cat >"$work/$node/zoo.cfg" <<EOF
tickTime=500
initLimit=10
syncLimit=5
dataDir=$work/$node/data
clientPort=2181
clientPortAddress=${ip[$node]}
server.1=${ip[zk1]}:2888:3888
server.2=${ip[zk2]}:2888:3888
server.3=${ip[zk3]}:2888:3888
admin.enableServer=false
4lw.commands.whitelist=srvr
preAllocSize=1024
EOF
  start "$node" "$java" "${jvm[@]}" -Dzookeeper.jmx.log4j.disable=true -cp "$jar" \
    org.apache.zookeeper.server.quorum.QuorumPeerMain "$work/$node/zoo.cfg"
done

deadline=$(($(now_ms) + 40000))
declare -A mode=()
leader=
while :; do
  check_alive "${ZOOKEEPERS[@]}"
  leader=
  followers=0
  for node in "${ZOOKEEPERS[@]}"; do
    mode[$node]=$(zk_mode "$node")
    case ${mode[$node]} in
      leader) leader=$node ;;
      follower) followers=$((followers + 1)) ;;
    esac
  done
  [ -n "$leader" ] && [ "$followers" = 2 ] && break
  [ "$(now_ms)" -lt "$deadline" ] || fail "no ensemble of a leader and two followers within 40 s"
  sleep 0.2
done
say "ZooKeeper ensemble up: $leader leads ($connect_string)"

# --- providers and caller -------------------------------------------------------------------------

for node in "${PROVIDERS[@]}"; do
  start "$node" "$java" "${jvm[@]}" -cp "$jar" io.minirpc.example.scaleout.ScaleOutProvider \
    --name "$node" --host "${ip[$node]}" --port "$PROVIDER_PORT" --zookeeper "$connect_string" \
    --session-timeout-ms "$SESSION_TIMEOUT_MS"
done
deadline=$(($(now_ms) + 30000))
for node in "${PROVIDERS[@]}"; do
  until grep -q '^PROVIDER READY ' "$work/$node.log"; do
    check_alive "$node"
    [ "$(now_ms)" -lt "$deadline" ] || { show_log "$node"; fail "$node not ready within 30 s"; }
    sleep 0.2
  done
done
addresses=
for node in "${PROVIDERS[@]}"; do
  addresses+=" $node=${ip[$node]}:$PROVIDER_PORT"
done
say "providers up:$addresses"

mkfifo "$work/caller.commands"
# Opened for reading and writing, so that opening it does not wait for the caller, and the caller
# sees no end of input while the script lives.
exec 8<>"$work/caller.commands"
input=$work/caller.commands start caller "$java" "${jvm[@]}" -cp "$jar" \
  io.minirpc.example.scaleout.ScaleOutCaller --zookeeper "$connect_string" \
  --providers "${#PROVIDERS[@]}" --rate "$RATE" --delay-ms "$DELAY_MS" --max-seconds 60 \
  --session-timeout-ms "$SESSION_TIMEOUT_MS"
deadline=$(($(now_ms) + 30000))
until grep -q '^CALLER READY' "$work/caller.log"; do
  check_alive caller
  [ "$(now_ms)" -lt "$deadline" ] || { show_log caller; fail "caller not ready within 30 s"; }
  sleep 0.2
done
say "caller up in ${PREFIX}caller: $RATE calls/s of nodeName (@Idempotent)," \
  "each answered ${DELAY_MS} ms after it reaches its provider"

everyone=("${ZOOKEEPERS[@]}" "${PROVIDERS[@]}" caller)
hold "$HOLD" "${everyone[@]}"

# --- kill the ZooKeeper leader --------------------------------------------------------------------

figures=()
zk_killed=$leader
killed_at=$(now_ms)
kill -KILL "${pid[$zk_killed]}"
echo "mark $killed_at zookeeper ${ip[$zk_killed]}:2181" >&8
say "SIGKILL to $zk_killed, the ZooKeeper leader"
wait "${pid[$zk_killed]}" 2>/dev/null || true
unset "pid[$zk_killed]"
survivors=()
for node in "${ZOOKEEPERS[@]}"; do
  [ "$node" = "$zk_killed" ] || survivors+=("$node")
done
clients=("${PROVIDERS[@]}" caller)
everyone=("${survivors[@]}" "${PROVIDERS[@]}" caller)

deadline=$((killed_at + 20000))
new_leader=
elected_at=
while :; do
  check_alive "${everyone[@]}"
  if [ -z "$new_leader" ]; then
    for node in "${survivors[@]}"; do
      if [ "$(zk_mode "$node")" = leader ]; then
        new_leader=$node
        elected_at=$(now_ms)
      fi
    done
  fi
  # Done once there is a leader again and every client that lost its connection has it back.
  pending=
  if [ -n "$new_leader" ]; then
    for node in "${clients[@]}"; do
      suspended=$(first_event "$node" "$killed_at" zookeeper SUSPENDED)
      if [ -n "$suspended" ]; then
        [ -n "$(first_event "$node" "$suspended" zookeeper RECONNECTED)" ] || pending+=" $node"
      fi
    done
    [ -z "$pending" ] && [ "$(now_ms)" -ge $((killed_at + 1000)) ] && break
  fi
  [ "$(now_ms)" -lt "$deadline" ] ||
    fail "20 s after the kill: ${new_leader:-no new leader}${pending:+, not reconnected:$pending}"
  sleep 0.2
done
figures+=("zookeeper-kill.killed $zk_killed" "zookeeper-kill.new_leader $new_leader"
  "zookeeper-kill.leader_seen_ms $((elected_at - killed_at))")
say "$new_leader leads now (seen $((elected_at - killed_at)) ms after the kill, polling srvr)"
for node in "${clients[@]}"; do
  suspended=$(first_event "$node" "$killed_at" zookeeper SUSPENDED)
  if [ -z "$suspended" ]; then
    figures+=("zookeeper-kill.reconnected_ms.$node none")
    say "  $node: kept its connection, to $(zk_peer "$node")"
  else
    reconnected=$(first_event "$node" "$suspended" zookeeper RECONNECTED)
    figures+=("zookeeper-kill.reconnected_ms.$node $((reconnected - killed_at))")
    say "  $node: connection lost at +$((suspended - killed_at)) ms, session back at" \
      "+$((reconnected - killed_at)) ms through $(zk_peer "$node")"
  fi
  lost=$(first_event "$node" "$killed_at" zookeeper LOST)
  [ -z "$lost" ] || fail "$node lost its ZooKeeper session at +$((lost - killed_at)) ms"
done

hold "$HOLD" "${everyone[@]}"

# --- kill a provider ------------------------------------------------------------------------------

victim=p2
killed_at=$(now_ms)
kill -KILL "${pid[$victim]}"
echo "mark $killed_at provider ${ip[$victim]}:$PROVIDER_PORT" >&8
say "SIGKILL to provider $victim (${ip[$victim]}:$PROVIDER_PORT)"
wait "${pid[$victim]}" 2>/dev/null || true
unset "pid[$victim]"
everyone=("${survivors[@]}" caller)
for node in "${PROVIDERS[@]}"; do
  [ "$node" = "$victim" ] || everyone+=("$node")
done

deadline=$((killed_at + 20000))
until forgotten=$(first_event caller "$killed_at" state "${ip[$victim]}:$PROVIDER_PORT GONE") &&
  [ -n "$forgotten" ]; do
  check_alive "${everyone[@]}"
  [ "$(now_ms)" -lt "$deadline" ] || fail "the caller still knows $victim 20 s after its kill"
  sleep 0.2
done
say "its node vanished and the caller forgot it (+$((forgotten - killed_at)) ms)"

hold "$HOLD" "${everyone[@]}"

# --- the figures ----------------------------------------------------------------------------------

echo stop >&8
deadline=$(($(now_ms) + 15000))
while alive caller; do
  [ "$(now_ms)" -lt "$deadline" ] || { show_log caller; fail "the caller did not end within 15 s"; }
  sleep 0.2
done
caller_status=0
wait "${pid[caller]}" || caller_status=$?
unset "pid[caller]"

figures+=("host_namespace_links_added $((host_links_after - host_links_before))")
say "figures (times in ms after the kill; docs/DISCOVERY.md explains them):"
grep -E '^(FIGURE|PROBLEM|VERDICT) ' "$work/caller.log" || true
for figure in "${figures[@]}"; do
  echo "FIGURE $figure"
done
if [ "$caller_status" != 0 ]; then
  grep -q '^VERDICT ' "$work/caller.log" || show_log caller
  fail "the caller exited $caller_status"
fi
[ "$((host_links_after - host_links_before))" = 0 ] ||
  fail "the host's own namespace got $((host_links_after - host_links_before)) interfaces"
say "PASSED; logs in $work"
