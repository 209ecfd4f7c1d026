/**
 * The fixed parts of the lab script: its bash helper functions and the responder's Python source.
 * Bash's `${…}` is written `%{…}` here (a template literal would expand it) and restored on export.
 */

export const HELPERS = String.raw`usage() {
  sed -n '2,/^set -E/{/^#/s/^# \{0,1\}//p}' "$0"
}
say() { printf '%s\n' "$*"; }
warn() { printf 'lab.sh: warning: %s\n' "$*" >&2; }
die() { printf 'lab.sh: %s\n' "$*" >&2; DIED=1; exit 1; }

# Write a sysctl inside a namespace: sysctl_w NS PATH-UNDER-/proc/sys VALUE.
# (Paths, not dotted keys: device names such as flannel.1 contain dots.)
sysctl_w() {
  ip netns exec "$1" sh -c 'printf "%s\n" "$2" > "/proc/sys/$1"' _ "$2" "$3"
}

# net.bridge.* exists only with br_netfilter loaded, and is per namespace since Linux 5.3. On an older
# kernel writing it in a namespace would change the host's value: then the host's value is put back.
bridge_nf() { # NS KEY VALUE [quiet]
  local ns=$1 key=$2 value=$3 host
  if ! ip netns exec "$ns" test -w "/proc/sys/net/bridge/$key"; then
    [ "%{4:-}" = quiet ] || warn "$ns: br_netfilter is not loaded, so bridged frames skip iptables there (as with $key=0); 'modprobe br_netfilter' loads it for the whole host (kubeadm requires it)"
    return 0
  fi
  [ "$(ip netns exec "$ns" cat "/proc/sys/net/bridge/$key")" = "$value" ] && return 0
  host=$(cat "/proc/sys/net/bridge/$key" 2>/dev/null || true)
  sysctl_w "$ns" "net/bridge/$key" "$value"
  if [ -n "$host" ] && [ "$(cat "/proc/sys/net/bridge/$key")" != "$host" ]; then
    printf '%s\n' "$host" > "/proc/sys/net/bridge/$key"
    warn "this kernel shares $key between all namespaces: left the host's value ($host) alone, so $ns has $key=$host"
  fi
}

new_ns() {
  ip netns add "$1"
  ip -n "$1" link set lo up
  if ip netns exec "$1" test -w /proc/sys/net/ipv6/conf/all/disable_ipv6; then
    sysctl_w "$1" net/ipv6/conf/default/disable_ipv6 1
    sysctl_w "$1" net/ipv6/conf/all/disable_ipv6 1
  fi
}

# link_add NS IFINDEX NAME ARGS...: the ifindex podpath shows (so eth0@if7 matches) when it is free,
# else whatever the kernel picks.
link_add() {
  local ns=$1 index=$2 name=$3
  shift 3
  ip -n "$ns" link add "$name" index "$index" "$@" 2>/dev/null || ip -n "$ns" link add "$name" "$@"
}

# veth NS NAME IFINDEX MAC PEER_NS PEER_NAME PEER_IFINDEX PEER_MAC MTU PEER_MTU ('-': the kernel's choice)
veth() {
  local a=(mtu "$9") b=(mtu "%{10}") ai=() bi=()
  [ "$4" = - ] || a+=(address "$4")
  [ "$8" = - ] || b+=(address "$8")
  [ "$3" = - ] || ai=(index "$3")
  [ "$7" = - ] || bi=(index "$7")
  ip -n "$1" link add "$2" "%{ai[@]}" "%{a[@]}" type veth peer name "$6" "%{bi[@]}" "%{b[@]}" netns "$5" 2>/dev/null ||
    ip -n "$1" link add "$2" "%{a[@]}" type veth peer name "$6" "%{b[@]}" netns "$5"
}

# tunl0 is the ipip module's fallback device: the kernel creates it in each namespace once the module
# is loaded (asking for it loads the module where it can); it cannot be made without the module.
ipip_fallback() { # NS NAME
  ip -n "$1" link show "$2" >/dev/null 2>&1 || ip -n "$1" link add "$2" type ipip 2>/dev/null || true
  ip -n "$1" link show "$2" >/dev/null 2>&1 ||
    die "this kernel has no ipip support (modprobe ipip failed?): calico-ipip needs the $2 device"
}

# BIRD's routes are 'proto bird' (12 in rtnetlink.h); iproute2 knows the name only if its rt_protos
# file lists it, so the number is used where it does not.
probe_proto_bird() {
  if ip -n "%{NAMESPACES[0]}" route show proto bird >/dev/null 2>&1; then PROTO_BIRD=bird; else PROTO_BIRD=12; fi
}

responder() { # NS POD PORT...
  local ns=$1
  shift
  setsid ip netns exec "$ns" python3 -c "$RESPONDER_PY" podpath-responder "$@" </dev/null >/dev/null 2>&1 &
}

wait_listening() { # NS PORT...
  local ns=$1 port i
  shift
  for port in "$@"; do
    for i in $(seq 50); do
      [ -n "$(ip netns exec "$ns" ss -Hltn "sport = :$port" 2>/dev/null)" ] && break
      sleep 0.1
    done
  done
}

preflight() {
  [ "$(id -u)" -eq 0 ] || die "run as root: creating network namespaces needs CAP_SYS_ADMIN"
  command -v ip >/dev/null || die "iproute2 (the ip command) is required"
  command -v bridge >/dev/null || die "iproute2's bridge command is required"
  ip netns list >/dev/null 2>&1 || die "this system cannot manage network namespaces (ip netns list failed)"
  local ns
  for ns in "%{NAMESPACES[@]}"; do
    if ip netns pids "$ns" >/dev/null 2>&1; then die "namespace $ns already exists: run '$0 down' first"; fi
  done
}

# If up fails half way, remove what it made so far.
on_exit() {
  local rc=$?
  trap - EXIT
  if [ "$rc" -ne 0 ]; then
    if [ -n "%{DIED:-}" ]; then warn "removing what was created"; else warn "failed (status $rc) at: %{BASH_COMMAND%%$'\n'*}; removing what was created"; fi
    down >&2
  fi
  exit "$rc"
}

# down: delete this lab's namespaces (exactly the NAMESPACES list) after stopping its responders.
# Deleting a namespace destroys its devices; a veth pair goes when either end does.
down() {
  local i ns pids pid
  for ((i = %{#NAMESPACES[@]} - 1; i >= 0; i--)); do
    ns=%{NAMESPACES[i]}
    pids=$(ip netns pids "$ns" 2>/dev/null) || continue
    for pid in $pids; do
      if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q podpath-responder; then kill "$pid" 2>/dev/null || true; fi
    done
    ip netns del "$ns"
    say "deleted $ns"
  done
}`.replace(/%\{/g, '${');

/**
 * The responder: one thread per port; each connection gets `HTTP/1.0 200` and the pod's name.
 * It reads what the client sent first (up to 0.5 s), so a client never sees a reset for unread data.
 */
export const RESPONDER_PY = String.raw`import socket, sys, threading
pod = sys.argv[2]
def serve(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(128)
    while True:
        c, _ = s.accept()
        try:
            c.settimeout(0.5)
            try:
                c.recv(4096)
            except OSError:
                pass
            c.sendall(("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n%s\n" % pod).encode())
        except OSError:
            pass
        finally:
            c.close()
threads = [threading.Thread(target=serve, args=(int(p),)) for p in sys.argv[3:]]
for t in threads:
    t.start()
for t in threads:
    t.join()`;
