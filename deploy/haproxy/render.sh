#!/usr/bin/env bash
# Renders haproxy.cfg.template for a list of couponrush instances, on standard output:
#
#   deploy/haproxy/render.sh '*:80' /run/haproxy/admin.sock 10.0.0.11:8080 10.0.0.12:8080 10.0.0.13:8080 \
#     > /etc/haproxy/haproxy.cfg && haproxy -c -f /etc/haproxy/haproxy.cfg
#
# The servers are named instance0, instance1, ... in the order given, as the bench harness names
# them (-Dbench.instances=N renders the same template the same way).
set -euo pipefail

if [[ $# -lt 3 ]]; then
  echo "usage: $0 BIND STATS_SOCKET HOST:PORT [HOST:PORT ...]" >&2
  exit 2
fi
bind=$1
socket=$2
shift 2

servers=""
index=0
for instance in "$@"; do
  if [[ ! $instance =~ ^[^:[:space:]]+:[0-9]+$ ]]; then
    echo "not HOST:PORT: $instance" >&2
    exit 2
  fi
  servers+="    server instance${index} ${instance}"$'\n'
  index=$((index + 1))
done

template="$(dirname "$0")/haproxy.cfg.template"
# Literal replacement (index/substr): sed and awk's gsub would read / & * in the values as their own.
BIND=$bind SOCKET=$socket SERVERS=${servers%$'\n'} awk '
  function put(line, placeholder, value,    at) {
    while ((at = index(line, placeholder)) > 0) {
      line = substr(line, 1, at - 1) value substr(line, at + length(placeholder))
    }
    return line
  }
  {
    line = put($0, "@@BIND@@", ENVIRON["BIND"])
    line = put(line, "@@STATS_SOCKET@@", ENVIRON["SOCKET"])
    print put(line, "@@SERVERS@@", ENVIRON["SERVERS"])
  }
' "$template"
