#!/usr/bin/env bash
# The `hbadiff` command: runs the TypeScript CLI through tsx from the repository it lives in.
here=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
exec "$here/node_modules/.bin/tsx" "$here/harness/cli/main.ts" "$@"
