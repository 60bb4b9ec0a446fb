#!/usr/bin/env bash
# Sends one example operation to the service and prints its answer (JSON).
#
#   examples/run.sh <file.graphql> <token> [name=value ...]
#
# The operation is the file's text. Its variables are the sibling .json file (02-open-case.json
# for 02-open-case.graphql; none: no variables), where a string "$name" stands for an id or a
# time from an earlier answer: each name=value argument puts value in its place. The token goes
# in `Authorization: Bearer`. GRAPHQL_URL says where the service is (default
# http://localhost:4000/graphql). Needs bash, curl and jq 1.6 or later.
#
# Exit status: 0 for an answer without errors; 1 for an answer with errors (each also printed to
# stderr with its code); 2 for a wrong call (no file, no token, a "$name" left without a value).
set -euo pipefail

usage() {
  echo 'usage: examples/run.sh <file.graphql> <token> [name=value ...]' >&2
  exit 2
}
[ $# -ge 2 ] || usage
file=$1
token=$2
shift 2
[ -f "$file" ] || { echo "examples/run.sh: no file $file" >&2; exit 2; }
[ -n "$token" ] || {
  echo 'examples/run.sh: the token is empty: set it first, e.g. O=$(npm run -s token -- officer.nyc@example.gov)' >&2
  exit 2
}

variables_file=${file%.graphql}.json
variables='{}'
[ -f "$variables_file" ] && variables=$(cat "$variables_file")
for arg in "$@"; do
  case $arg in
    [A-Za-z_]*=*) ;;
    *) echo "examples/run.sh: \"$arg\" is not name=value" >&2; usage ;;
  esac
done

# The body, every "$name" string in the variables replaced by its value; or what is wrong.
body=$(jq -c -n --rawfile query "$file" --argjson variables "$variables" '
  ($ARGS.positional | map(capture("^(?<k>[^=]+)=(?<v>.*)$"; "s") | {(.k): .v}) | add // {}) as $values
  | ([$variables | .. | strings | select(startswith("$")) | .[1:]] | unique) as $used
  | ($used - ($values | keys)) as $missing
  | (($values | keys) - $used) as $unused
  | if $missing != [] then "needs a value for: \($missing | join(" ")) (pass name=value)"
    elif $unused != [] then "does not use: \($unused | join(" "))"
    else {query: $query, variables: ($variables | walk(
      if type == "string" and startswith("$") then $values[.[1:]] else . end))}
    end' --args "$@")
case $body in
  '"'*) echo "examples/run.sh: $file $(jq -r . <<<"$body")" >&2; exit 2 ;;
esac

answer=$(curl -sS "${GRAPHQL_URL:-http://localhost:4000/graphql}" \
  -H 'content-type: application/json' -H "authorization: Bearer $token" --data @- <<<"$body")

[ -n "$answer" ] && jq . <<<"$answer" 2>/dev/null || {
  echo "examples/run.sh: the service did not answer JSON: $answer" >&2
  exit 1
}
errors=$(jq -r '.errors // [] | .[] | "examples/run.sh: \(.extensions.code // "ERROR"): \(.message)"' <<<"$answer")
[ -z "$errors" ] || { echo "$errors" >&2; exit 1; }
