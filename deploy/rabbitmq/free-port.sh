#!/usr/bin/env bash
# Prints a TCP port that is free on 127.0.0.1 right now (the kernel picks it, so it is not in use;
# there is a small window before the caller binds it, acceptable for tests and dev nodes).
set -euo pipefail

if command -v python3 >/dev/null 2>&1; then
    exec python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
fi

# Fallback: probe random high ports; a refused connect means nothing listens there.
for _ in $(seq 1 200); do
    port=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
        echo "${port}"
        exit 0
    fi
done
echo "free-port.sh: no free port found" >&2
exit 1
