#!/usr/bin/env bash
# Makes sure a local PostgreSQL (Debian's postgresql package, as on Unwind's build machines) is running with a
# login role for the tests, and prints the environment the tests read (UNWIND_TEST_POSTGRES_*). Idempotent.
# Tests that need PostgreSQL (cluster mode, the journal on PostgreSQL) create and drop their own databases.
# The role and password are local to this machine's test database; they guard nothing else.
set -euo pipefail

die() { echo "test-postgres: $*" >&2; exit 1; }

command -v pg_lsclusters >/dev/null || die "PostgreSQL is not installed (apt install postgresql)"
cluster=$(pg_lsclusters --no-header | head -1)
[ -n "$cluster" ] || die "no PostgreSQL cluster exists (pg_createcluster 15 main)"
read -r version name port status _ <<<"$cluster"
if [ "$status" != "online" ]; then
  if [ "$(id -u)" = 0 ]; then
    pg_ctlcluster "$version" "$name" start >&2 || die "cannot start PostgreSQL $version/$name"
  else
    sudo -n pg_ctlcluster "$version" "$name" start >&2 || die "PostgreSQL $version/$name is down; start it (pg_ctlcluster $version $name start)"
  fi
fi

as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -n -u postgres sh -c "$1"; fi
}
for _ in $(seq 1 50); do as_postgres "psql -p $port -tAc 'select 1'" >/dev/null 2>&1 && break; sleep 0.2; done
if ! as_postgres "psql -p $port -tAc \"select 1 from pg_roles where rolname = 'unwind_test'\"" | grep -q 1; then
  as_postgres "psql -p $port -q -c \"create role unwind_test login createdb password 'unwind-test'\"" >&2
fi

echo "UNWIND_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:$port/postgres"
echo "UNWIND_TEST_POSTGRES_USER=unwind_test"
echo "UNWIND_TEST_POSTGRES_PASSWORD=unwind-test"
