#!/usr/bin/env bash
# The README's SLURM array job on a real one-node SLURM cluster (Debian's slurmctld, slurmd,
# slurm-client and munge), run as root on a machine without systemd:
#   1. install the packages if missing; start munged, slurmctld and slurmd by hand (PIDs kept);
#   2. npm pack this repository (prepack builds dist/) and install the tarball into an empty project;
#   3. submit the sbatch script exactly as the README shows it, cancel one task mid-study (scancel:
#      the CLI must stop, exit 130, keep its finished runs), resubmit that task alone
#      (sbatch --array=3: it must keep its shard number and resume);
#   4. merge the shards and byte-compare summary.json with an unsharded study of the same config.
# Every daemon it started is stopped by PID on exit. Usage: sudo tests/e2e/slurm.sh
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/shortcut-bench-slurm.XXXXXX)
chmod 755 "$work"
started_pids=()

say() { printf 'slurm e2e: %s\n' "$*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

cleanup() {
  local status=$?
  set +e
  if command -v scancel >/dev/null && [ -n "${SLURM_CONF:-}" ]; then scancel --user=root >/dev/null 2>&1; fi
  # Newest first: slurmd, slurmctld, then munged.
  for ((i = ${#started_pids[@]} - 1; i >= 0; i--)); do
    kill "${started_pids[i]}" 2>/dev/null
    wait "${started_pids[i]}" 2>/dev/null
  done
  if [ "$status" -ne 0 ]; then
    for log in "$work"/munged.log "$work"/slurmctld.log "$work"/slurmd.log "$work"/project/slurm-*.out; do
      [ -f "$log" ] && { say "--- $log (last lines)"; tail -n 20 "$log" >&2; }
    done
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits until `$@` succeeds, for at most $timeout seconds (default 60).
wait_for() {
  local what=$1 deadline=$((SECONDS + ${timeout:-60}))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "timed out waiting for $what"
    sleep 0.1
  done
}

[ "$(id -u)" -eq 0 ] || fail "run as root (it installs packages and starts daemons)"

# --- 1. packages and daemons -------------------------------------------------------------------
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null || ! command -v pgrep >/dev/null; then
  say "installing slurmctld slurmd slurm-client munge (and procps for pgrep)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge procps >/dev/null
fi

mkdir -p /run/munge /var/lib/munge /var/log/munge
chown munge:munge /run/munge /var/lib/munge /var/log/munge
chmod 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
fi
if munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  say "munged already running; using it"
else
  # setpriv execs munged itself, so the PID kept is munged's.
  setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged --foreground >"$work/munged.log" 2>&1 &
  started_pids+=($!)
  wait_for "munged" bash -c 'munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1'
fi

host=$(hostname -s)
node_line=$(slurmd -C | head -n 1) # NodeName=<host> CPUs=… as slurmd detects this machine
export SLURM_CONF="$work/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=e2e
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# linuxproc tracks a job's processes through /proc; a process renamed with a space (npx's
# "npm exec …") escapes it, which is why the README's script starts node itself.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MailProg=/bin/true
ReturnToService=2
KillWait=10
MinJobAge=3600
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
$node_line State=UNKNOWN
PartitionName=e2e Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
mkdir -p "$work/state" "$work/spool"
slurmctld -D -i -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 &
started_pids+=($!)
ctld_up() { scontrol ping 2>/dev/null | grep -q "is UP"; }
wait_for "slurmctld" ctld_up
slurmd -D -f "$SLURM_CONF" >"$work/slurmd.out" 2>&1 &
started_pids+=($!)
node_idle() { [ "$(sinfo -h -n "$host" -o %t 2>/dev/null)" = "idle" ]; }
wait_for "node $host idle" node_idle
say "cluster up ($(sinfo --version)): $node_line"

# --- 2. the package, installed as a user would -------------------------------------------------
project="$work/project"
mkdir -p "$project"
(cd "$repo" && npm pack --silent --pack-destination "$project" >/dev/null)
tarball=$(cd "$project" && ls shortcut-bench-*.tgz)
cat >"$project/package.json" <<'EOF'
{ "name": "slurm-e2e", "version": "1.0.0", "private": true }
EOF
(cd "$project" && npm install "./$tarball" --prefer-offline --no-audit --no-fund --silent)
bin=(node node_modules/shortcut-bench/bin/shortcut-bench.js)

# A small study whose runs take a fraction of a second each, so a task is cancelled mid-study.
cat >"$project/study.json5" <<'EOF'
{ name: "study", base: { d: 64, width: 64, batch: 32, steps: 3000, evalEvery: 100, testPerGroup: 256 }, grid: { lambda: [0, 0.5, 1] }, seeds: 8 }
EOF
runs_per_shard=6 # 3 conditions × 8 seeds / 4 shards

# The README's sbatch script, verbatim: the fenced block between the slurm-sbatch markers.
awk '/<!-- slurm-sbatch:start -->/ { on = 1; next } /<!-- slurm-sbatch:end -->/ { on = 0 } on && !/^```/' "$repo/README.md" >"$project/study.sbatch"
grep -q '^exec node node_modules/shortcut-bench/bin/shortcut-bench.js study study.json5' "$project/study.sbatch" || fail "README's sbatch script not found between its markers"
shards=$(sed -n 's/^#SBATCH --array=1-\([0-9]*\)$/\1/p' "$project/study.sbatch")
[ "$shards" = 4 ] || fail "expected the README's script to be an array 1-4, got '$shards'"

# --- 3. submit, cancel one task, resubmit it alone -------------------------------------------
cd "$project"
# One CPU per task and a short limit fit this machine; the script itself is unchanged.
submit() { sbatch --parsable --cpus-per-task=1 --time=00:10:00 "$@"; }
job=$(submit study.sbatch)
say "submitted array job $job"
shard3="results/shard-3/runs.shard-3-of-4.jsonl"
lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }
has_a_run() { [ "$(lines "$shard3")" -ge 1 ]; }
timeout=180 wait_for "task 3's first finished run" has_a_run
scancel "${job}_3"
task_gone() { [ -z "$(squeue -h -j "${job}_3" 2>/dev/null)" ]; }
wait_for "task 3 to stop" task_gone
kept=$(lines "$shard3")
say "cancelled task 3 with $kept of $runs_per_shard runs finished"
[ "$kept" -lt "$runs_per_shard" ] || fail "task 3 finished all its runs before scancel reached it"
grep -q "interrupted by SIGTERM" "slurm-${job}_3.out" || fail "task 3 did not report the SIGTERM (slurm-${job}_3.out: $(cat "slurm-${job}_3.out"))"
exit_code=$(scontrol show job "${job}_3" | sed -n 's/.* ExitCode=\([0-9]*:[0-9]*\).*/\1/p')
[ "$exit_code" = "130:0" ] || fail "task 3 should exit 130 on scancel, SLURM recorded ExitCode=$exit_code"
sleep 1
if pgrep -f "results/shard-3" >/dev/null; then fail "the study of task 3 is still running after scancel (untracked by proctrack)"; fi

array_done() { [ -z "$(squeue -h -j "$job" 2>/dev/null)" ]; }
timeout=300 wait_for "array job $job" array_done
head -n "$kept" "$shard3" >"$work/kept.jsonl"

resubmitted=$(submit --array=3 study.sbatch)
say "resubmitted task 3 alone as job $resubmitted"
resubmit_done() { [ -z "$(squeue -h -j "$resubmitted" 2>/dev/null)" ]; }
timeout=300 wait_for "job $resubmitted" resubmit_done
for i in 1 2 3 4; do
  [ "$(lines "results/shard-$i/runs.shard-$i-of-4.jsonl")" -eq "$runs_per_shard" ] || fail "shard $i has $(lines "results/shard-$i/runs.shard-$i-of-4.jsonl") runs, expected $runs_per_shard"
done
head -n "$kept" "$shard3" | cmp -s - "$work/kept.jsonl" || fail "the resubmitted task rewrote the runs it had kept"
ls results/shard-3 | grep -qv '^runs.shard-3-of-4.jsonl$\|^config.resolved.json$\|^\.' && fail "the resubmitted task wrote files other than its shard: $(ls results/shard-3)"

# A control for the check above: the study started as the README's script once did, with npx under
# the batch shell. npm renames its process "npm exec …", the space breaks linuxproc's parsing of
# /proc/<pid>/stat, and scancel may miss the node process below it.
printf '#!/bin/bash\ncd "$SLURM_SUBMIT_DIR"\nnpx shortcut-bench study study.json5 --out results/npx --threads 1 --quiet\n' >npx.sbatch
npx_job=$(submit npx.sbatch)
npx_has_a_run() { [ "$(lines results/npx/runs.jsonl)" -ge 1 ]; }
timeout=180 wait_for "the npx job's first finished run" npx_has_a_run
scancel "$npx_job"
npx_gone() { [ -z "$(squeue -h -j "$npx_job" 2>/dev/null)" ]; }
wait_for "the npx job to leave the queue" npx_gone
sleep 1
escaped=$(pgrep -f "results/npx" | tr "\n" " " || true)
if [ -n "$escaped" ]; then
  say "control: started with npx, the study outlived scancel (PIDs ${escaped% }), as the README warns; stopping it"
  kill $escaped 2>/dev/null || true
else
  say "control: the npx-started study stopped on scancel here too (this SLURM tracked it)"
fi

# --- 4. merge and compare with an unsharded study ----------------------------------------------
"${bin[@]}" merge results/shard-1 results/shard-2 results/shard-3 results/shard-4 --out results/merged --quiet
"${bin[@]}" study study.json5 --out results/whole --threads 2 --quiet >/dev/null
cmp results/merged/summary.json results/whole/summary.json || fail "merged summary.json differs from the unsharded study's"
say "PASS: 4 shards (one cancelled with $kept/$runs_per_shard runs kept, then resubmitted alone) merge to the unsharded summary.json"
