#!/usr/bin/env bash
# VM-to-VM throughput on real kernels: jvswitch VXLAN, jvswitch GRE and the Linux kernel's own VXLAN device,
# measured side by side in interleaved rounds with iperf3 (TCP with 1 and 4 streams, UDP with 64-byte payloads).
# Prints every run, then the medians and the jvswitch/kernel ratios.
#
# Topology, built once per kind and torn down at the end (also on Ctrl-C or failure):
#
#   vm1 (10.0.0.1) --tap/veth-- hv1 [switch] 198.18.0.x --+-- br0 in the underlay --+-- 198.18.0.y hv2 [switch] -- vm2
#
# Every namespace is this script's own (named jvt<PID>-...); nothing is added to the root namespace. Needs root,
# iproute2 and iperf3.
#
#   bench/netns-throughput.sh [--rounds N] [--seconds S] [--kinds "jvs-vxlan jvs-gre kernel-vxlan"]
set -euo pipefail

rounds=3
seconds=10
kinds="jvs-vxlan jvs-gre kernel-vxlan"
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --kinds) kinds=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "netns-throughput: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
case "$rounds$seconds" in *[!0-9]*) echo "netns-throughput: --rounds and --seconds take whole numbers" >&2; exit 2 ;; esac
[ "$(id -u)" = 0 ] || { echo "netns-throughput: needs root (network namespaces)" >&2; exit 1; }
for tool in ip iperf3; do
  command -v "$tool" >/dev/null || { echo "netns-throughput: $tool is not installed (apt-get install ${tool/ip/iproute2})" >&2; exit 1; }
done

root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
jvs=$root/jvs
tag=jvt$$
work=$(mktemp -d "/tmp/$tag.XXXX")
underlay=$tag-ul
namespaces=()
pids=()

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

new_ns() {
  ip netns add "$1"
  namespaces+=("$1")
  ip -n "$1" link set lo up
}

# The underlay: one Linux bridge in its own namespace; each hypervisor plugs in with a veth pair.
new_ns "$underlay"
ip -n "$underlay" link add br0 type bridge
ip -n "$underlay" link set br0 up

# Waits (up to 5 minutes) until the machine is quiet: at least 85% of the CPU idle over two seconds.
wait_quiet() {
  local waited=0 idle
  while :; do
    read -r _ u1 n1 s1 i1 w1 q1 sq1 st1 _ < /proc/stat
    sleep 2
    read -r _ u2 n2 s2 i2 w2 q2 sq2 st2 _ < /proc/stat
    local busy=$(( (u2-u1)+(n2-n1)+(s2-s1)+(q2-q1)+(sq2-sq1)+(st2-st1) ))
    local total=$(( busy + (i2-i1) + (w2-w1) ))
    idle=$(( total > 0 ? 100 * ((i2-i1)+(w2-w1)) / total : 100 ))
    [ "$idle" -ge 85 ] && return 0
    waited=$((waited + 2))
    if [ "$waited" -ge 300 ]; then
      echo "netns-throughput: the machine stayed busy (${idle}% idle); measuring anyway" >&2
      return 0
    fi
  done
}

# Hypervisor $2 of kind $1 with underlay address $3, and its VM namespace.
hypervisor() {
  local kind=$1 n=$2 address=$3
  local hv=$tag-$kind-hv$n vm=$tag-$kind-vm$n
  new_ns "$hv"
  new_ns "$vm"
  local port=u$index-$n # interface names are at most 15 characters
  ip -n "$underlay" link add "$port" type veth peer name eth0 netns "$hv"
  ip -n "$underlay" link set "$port" master br0 up
  ip -n "$hv" addr add "$address/24" dev eth0
  ip -n "$hv" link set eth0 up
}

# The VM's side: the interface named $3 in namespace $2 becomes eth0 of VM namespace $1, address $4, MTU $5.
vm_interface() {
  local vm=$1 from=$2 device=$3 address=$4 mtu=$5
  ip -n "$from" link set "$device" netns "$vm"
  ip -n "$vm" link set "$device" name eth0
  ip -n "$vm" link set eth0 mtu "$mtu"
  ip -n "$vm" addr add "$address/24" dev eth0
  ip -n "$vm" link set eth0 up
}

kernel_vxlan() {
  local kind=$1 n=$2 local_ip=$3 remote_ip=$4 vm_ip=$5
  local hv=$tag-$kind-hv$n vm=$tag-$kind-vm$n
  hypervisor "$kind" "$n" "$local_ip"
  ip -n "$hv" link add vx0 type vxlan id 5000 local "$local_ip" remote "$remote_ip" dstport 4789 dev eth0
  ip -n "$hv" link add br0 type bridge
  ip -n "$hv" link add vm0 type veth peer name vmside
  ip -n "$hv" link set vx0 master br0 up
  ip -n "$hv" link set vm0 master br0 up
  ip -n "$hv" link set br0 up
  vm_interface "$vm" "$hv" vmside "$vm_ip" 1450
}

jvswitch() {
  local kind=$1 n=$2 local_ip=$3 remote_ip=$4 vm_ip=$5 type=$6 mtu=$7
  local hv=$tag-$kind-hv$n vm=$tag-$kind-vm$n
  local control=$work/$kind-hv$n.ctl
  hypervisor "$kind" "$n" "$local_ip"
  # Started directly (not through a function, which would fork a subshell): ip netns exec and ./jvs both exec, so $!
  # is the daemon's own PID, the one cleanup must end.
  ip netns exec "$hv" "$jvs" daemon --db "$work/$kind-hv$n.db" --control "$control" > "$work/$kind-hv$n.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do [ -S "$control" ] && break; sleep 0.1; done
  [ -S "$control" ] || { echo "netns-throughput: the daemon in $hv did not start:" >&2; cat "$work/$kind-hv$n.log" >&2; exit 1; }
  JVS_CONTROL=$control "$jvs" vsctl add-br br0 \
    -- add-port br0 tap0 -- set interface tap0 type=tap \
    -- add-port br0 tun0 -- set interface tun0 "type=$type" "options:local_ip=$local_ip" \
       "options:remote_ip=$remote_ip" options:key=5000
  JVS_CONTROL=$control "$jvs" ofctl add-flow br0 "priority=0,actions=NORMAL"
  vm_interface "$vm" "$hv" tap0 "$vm_ip" "$mtu"
}

index=0
for kind in $kinds; do
  index=$((index + 1))
  a=$((2 * index - 1)); b=$((2 * index))
  case "$kind" in
    kernel-vxlan)
      kernel_vxlan "$kind" 1 "198.18.0.$a" "198.18.0.$b" 10.0.0.1
      kernel_vxlan "$kind" 2 "198.18.0.$b" "198.18.0.$a" 10.0.0.2 ;;
    jvs-vxlan)
      jvswitch "$kind" 1 "198.18.0.$a" "198.18.0.$b" 10.0.0.1 vxlan 1450
      jvswitch "$kind" 2 "198.18.0.$b" "198.18.0.$a" 10.0.0.2 vxlan 1450 ;;
    jvs-gre)
      jvswitch "$kind" 1 "198.18.0.$a" "198.18.0.$b" 10.0.0.1 gre 1458
      jvswitch "$kind" 2 "198.18.0.$b" "198.18.0.$a" 10.0.0.2 gre 1458 ;;
    *) echo "netns-throughput: unknown kind '$kind' (jvs-vxlan, jvs-gre, kernel-vxlan)" >&2; exit 2 ;;
  esac
  in_ns "$tag-$kind-vm2" iperf3 -s -D --pidfile "$work/$kind-iperf3.pid" -B 10.0.0.2 >/dev/null
  for _ in $(seq 50); do [ -s "$work/$kind-iperf3.pid" ] && break; sleep 0.1; done
  pids+=("$(cat "$work/$kind-iperf3.pid")")
  if ! in_ns "$tag-$kind-vm1" ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null; then
    echo "netns-throughput: $kind: vm1 cannot ping vm2; giving up" >&2
    exit 1
  fi
done

# One measurement: prints Mbit/s for TCP, thousands of datagrams per second for UDP.
measure() {
  local kind=$1 test=$2 output
  case "$test" in
    tcp1) output=$(in_ns "$tag-$kind-vm1" iperf3 -c 10.0.0.2 -t "$seconds" -P 1 -f m) ;;
    tcp4) output=$(in_ns "$tag-$kind-vm1" iperf3 -c 10.0.0.2 -t "$seconds" -P 4 -f m) ;;
    udp64) output=$(in_ns "$tag-$kind-vm1" iperf3 -c 10.0.0.2 -t "$seconds" -u -l 64 -b 0 -f m) ;;
  esac
  case "$test" in
    tcp1|tcp4) awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") rate = $i } END { print rate }' <<< "$output" ;;
    udp64) awk -v s="$seconds" '/receiver/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\/[0-9]+$/) { split($i, f, "/"); got = f[2] - f[1] } }
             END { printf "%.1f\n", got / s / 1000 }' <<< "$output" ;;
  esac
}

tests="tcp1 tcp4 udp64"
declare -A results
echo "round  kind          tcp1 Mbit/s  tcp4 Mbit/s  udp64 kpps"
for round in $(seq "$rounds"); do
  for kind in $kinds; do
    line=$(printf '%-5s  %-12s' "$round" "$kind")
    for test in $tests; do
      wait_quiet
      value=$(measure "$kind" "$test")
      results[$kind.$test]+="$value "
      line+=$(printf '  %11s' "$value")
    done
    echo "$line"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo
echo "medians of $rounds rounds, ${seconds}s each"
echo "kind          tcp1 Mbit/s  tcp4 Mbit/s  udp64 kpps"
declare -A medians
for kind in $kinds; do
  line=$(printf '%-12s' "$kind")
  for test in $tests; do
    medians[$kind.$test]=$(median <<< "${results[$kind.$test]}")
    line+=$(printf '  %11s' "${medians[$kind.$test]}")
  done
  echo "$line"
done
if [[ " $kinds " == *" kernel-vxlan "* && " $kinds " == *" jvs-"* ]]; then
  echo
  echo "ratio to the kernel's VXLAN (jvswitch / kernel)"
  for kind in $kinds; do
    [ "$kind" = kernel-vxlan ] && continue
    line=$(printf '%-12s' "$kind")
    for test in $tests; do
      line+=$(awk -v a="${medians[$kind.$test]}" -v b="${medians[kernel-vxlan.$test]}" 'BEGIN { printf "  %11.2f", (b > 0 ? a / b : 0) }')
    done
    echo "$line"
  done
fi
