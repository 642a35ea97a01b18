#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the database of DATABASE_URL and the folder
# MEDIA_ROOT, checking every checksum on the way.
#
#   DATABASE_URL=postgres://portal@db:5432/councilportal MEDIA_ROOT=/srv/portal/media \
#     scripts/restore.sh /srv/backups/portal-20260301-020000
#
# The database must exist and be empty (create it with
# `createdb -E UTF8 -T template0 --locale=C.UTF-8 NAME`), and MEDIA_ROOT must be missing or
# empty: the script never overwrites a live portal. Stop the web processes and the workers
# first; start them again after `manage.py migrate` (a no-op unless the code is newer than the
# backup). Exit status is 0 only when the database was restored and every file matches.
# Restored files and folders are the portal user's only (0600/0700), as the portal writes them.
set -euo pipefail
umask 077

BACKUP="${1:?Usage: restore.sh BACKUP_FOLDER (made by scripts/backup.sh)}"
: "${DATABASE_URL:?Set DATABASE_URL to the (empty) database to restore into}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MEDIA_ROOT="${MEDIA_ROOT:-${VAR_DIR:-$ROOT/var}/media}"
JOBS="${RESTORE_JOBS:-2}"

fail() { echo "restore.sh: $*" >&2; exit 1; }

[ -f "$BACKUP/SHA256SUMS" ] || fail "$BACKUP is not a complete backup (no SHA256SUMS)"
BACKUP="$(cd "$BACKUP" && pwd)"
echo "Checking the backup's checksums…"
(cd "$BACKUP" && sha256sum --check --quiet SHA256SUMS) || fail "the backup is damaged"

tables="$(psql "$DATABASE_URL" -Atq -c \
  "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")" \
  || fail "cannot connect to the target database"
[ "$tables" = "0" ] || fail "the target database is not empty ($tables tables); restore into a new one"
if [ -d "$MEDIA_ROOT" ] && [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
  fail "MEDIA_ROOT $MEDIA_ROOT is not empty"
fi

echo "Restoring the database…"
pg_restore --no-owner --no-privileges --exit-on-error --jobs="$JOBS" \
  --dbname="$DATABASE_URL" "$BACKUP/database.dump"
psql "$DATABASE_URL" -q -c "ANALYZE" >/dev/null

echo "Restoring the files into $MEDIA_ROOT…"
mkdir -p "$MEDIA_ROOT"
tar --extract --file="$BACKUP/media.tar" --directory="$MEDIA_ROOT" --no-same-owner
chmod -R go-rwx "$MEDIA_ROOT"  # also for an archive made before backups kept private modes
(cd "$MEDIA_ROOT" && sha256sum --check --quiet --strict "$BACKUP/media.sha256") \
  || fail "restored files do not match the backup's checksums"

echo "Restored $(wc -l < "$BACKUP/media.sha256") files and the database from $BACKUP."
