#!/usr/bin/env bash
# The API contract, checked with third-party tools as a new user would: a demo forum (300 people,
# the programme published, the badge key, the entrance open), `forum serve` on a free port, then
#   1. openapi-spec-validator on the document the server serves (/api/v1/openapi.yaml);
#   2. schemathesis, every check, a fixed seed and a bounded number of cases per operation, once
#      with an organiser's token and once with a desk's (Tests/Contract/schemathesis.toml says
#      where the server refuses, with 422, data no schema can describe).
# Usage: contract.sh PATH-TO-forum VENV [MAX-EXAMPLES]. Exit 0 only with zero failures.
set -euo pipefail
forum=$(realpath "$1")
venv=$(realpath "$2")
examples=${3:-25}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d -t forumops-contract-XXXXXX)
server=
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    [ -n "${KEEP_CONTRACT_LOGS:-}" ] && cp "$work"/schemathesis-*.log "$KEEP_CONTRACT_LOGS"/ 2>/dev/null; rm -rf "$work"
}
trap cleanup EXIT
# Only this forum's settings: none from the caller's environment.
for variable in $(env | grep -o '^FORUM_[A-Z_]*' || true); do unset "$variable"; done
export FORUM_DATABASE=$work/forum.sqlite

"$forum" db migrate > /dev/null
"$forum" demo roster --count 300 --seed 5 --output "$work/roster.csv" 2> /dev/null
"$forum" participants import "$work/roster.csv" > /dev/null 2>&1
"$forum" agenda import "$here/../../Agenda" > /dev/null 2>&1
"$forum" agenda publish --note "Выпуск для проверки контракта" > /dev/null 2>&1
"$forum" keys init > /dev/null 2>&1
"$forum" checkins open entrance --until "2099-01-01 10:00" > /dev/null
admin=$("$forum" tokens create --role admin --name "contract: admin" 2> /dev/null)
desk=$("$forum" tokens create --role desk --name "contract: desk" 2> /dev/null)

FORUM_LOG_LEVEL=warning "$forum" serve --port 0 2> "$work/serve.log" &
server=$!
base=
for _ in $(seq 100); do
    base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/serve.log" | head -1 || true)
    [ -n "$base" ] && break
    sleep 0.1
done
[ -n "$base" ] || { echo "forum serve did not start:"; cat "$work/serve.log"; exit 1; }
echo "forum serve answers at $base"

curl -sf "$base/api/v1/openapi.yaml" -o "$work/openapi.yaml"
"$venv/bin/openapi-spec-validator" "$work/openapi.yaml"

status=0
for role in admin desk; do
    token=${!role}
    echo "schemathesis as $role: --checks all, seed 2027, up to $examples cases an operation"
    (cd "$here" && "$venv/bin/python" schemathesis_cli.py run "$work/openapi.yaml" --url "$base" \
        -H "Authorization: Bearer $token" --checks all --seed 2027 --max-examples "$examples" \
        --generation-database none --workers 2 --no-color --request-timeout 10 \
        --warnings off) > "$work/schemathesis-$role.log" 2>&1 || status=1
    log=$work/schemathesis-$role.log
    if grep -q ' SUMMARY ' "$log"; then
        # Failures first (each with a curl line to reproduce it), then the summary.
        [ $status -eq 0 ] || sed -n '/ FAILURES /,/ SUMMARY /p' "$log" | awk 'NR <= 300'
        sed -n '/ SUMMARY /,$p' "$log"
    else
        tail -40 "$log"
    fi
    [ $status -eq 0 ] || break
done
kill -0 "$server" 2>/dev/null || { echo "forum serve died during the run:"; tail -20 "$work/serve.log"; exit 1; }
exit $status
