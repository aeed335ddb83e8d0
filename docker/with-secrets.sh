#!/bin/sh
# Entry point of the worker and gateway containers (docker-compose.yml): reads the secrets the
# `secrets` service made at first start into the environment the app reads, unless the environment
# already sets them, then runs the command. Nothing here is printed.
set -eu
dir="${FORGE_SECRETS_DIR:-/run/forge-secrets}"
: "${DATABASE_URL:=postgres://forge:$(cat "$dir/postgres-password")@postgres:5432/forgeworks}"
: "${VAULT_TOKEN:=$(cat "$dir/bao-root-token")}"
: "${FORGE_ADMIN_KEY:=$(cat "$dir/admin.key")}"
: "${FORGE_MASTER_KEY_FILE:=$dir/master.key}"
export DATABASE_URL VAULT_TOKEN FORGE_ADMIN_KEY FORGE_MASTER_KEY_FILE
exec "$@"
