#!/usr/bin/env bash
# Compares two builds of minirpc-benchmark.jar on one plan, trial by trial (A, B, A, B, ...):
#
#   rpc-benchmark/compare-builds.sh BASE CANDIDATE [plan arguments of minirpc-benchmark.jar]
#
# BASE and CANDIDATE are each a jar, or a git revision of this repository, which is exported
# (git archive, so no worktree or index is touched) and built with
# `mvn -B -q package -DskipTests -pl rpc-benchmark -am $MVN_ARGS` (MVN_ARGS=-o to stay offline).
# Both builds must contain CompareBuilds' runner (--mode, --no-wire, results.tsv).
# The table goes to the terminal and to rpc-benchmark/target/compare/compare.md.
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
base=$1
candidate=$2
shift 2

here=$(cd "$(dirname "$0")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
work=$(mktemp -d "${TMPDIR:-/tmp}/minirpc-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT

jar_of() {
  local what=$1 side=$2
  # The jar's name says where it came from, for the table's "A:" and "B:" lines.
  local name
  name="$side-$(basename "$what" .jar | tr -c 'A-Za-z0-9._\n-' '_')"
  eval "${side}_jar=\"\$work/\$name.jar\""
  if [ -f "$what" ]; then
    cp "$what" "$work/$name.jar"
  else
    local rev
    rev=$(git -C "$repo" rev-parse --verify "$what^{commit}")
    echo "building $name from $what ($rev)" >&2
    mkdir "$work/$name"
    git -C "$repo" archive "$rev" | tar -x -C "$work/$name"
    (cd "$work/$name" && mvn -B -q package -DskipTests -pl rpc-benchmark -am ${MVN_ARGS:-}) >&2
    cp "$work/$name/rpc-benchmark/target/minirpc-benchmark.jar" "$work/$name.jar"
    rm -rf "${work:?}/$name"
  fi
}

jar_of "$base" base
jar_of "$candidate" candidate
java -cp "$candidate_jar" io.minirpc.benchmark.CompareBuilds \
  --base="$base_jar" --candidate="$candidate_jar" \
  --out="$here/target/compare" "$@"
