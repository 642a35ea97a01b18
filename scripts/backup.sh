#!/usr/bin/env bash
# Back up Council Portal: the PostgreSQL database of DATABASE_URL (pg_dump, custom format) and
# the files under MEDIA_ROOT (uploads and generated documents), with a manifest of checksums.
#
#   DATABASE_URL=postgres://portal@db:5432/councilportal MEDIA_ROOT=/srv/portal/media \
#     scripts/backup.sh /srv/backups
#
# Makes /srv/backups/portal-YYYYmmdd-HHMMSS/ holding
#   database.dump   pg_dump -Fc (restore with scripts/restore.sh, or pg_restore)
#   media.tar       the MEDIA_ROOT tree
#   media.sha256    the SHA-256 of every file under MEDIA_ROOT (sha256sum format)
#   SHA256SUMS      the SHA-256 of the three files above
#   MANIFEST        when, from which database, the code's commit, tool versions, counts
# The folder is written under a temporary name and renamed when complete: a backup folder
# without the ".partial" suffix is whole. The database is dumped first and the files after it,
# so every file a dumped row points to is in the archive (a file newer than the dump is only an
# extra). The dump is a consistent snapshot; the portal can keep running. Exit status is 0 only
# when everything was written.
# Everything it writes is readable by its owner only (folders 0700, files 0600): the dump and
# the archive hold every record, and the files keep their private modes inside the tar.
set -euo pipefail
umask 077

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="${1:-${BACKUP_DIR:-$ROOT/var/backups}}"
: "${DATABASE_URL:?Set DATABASE_URL to the PostgreSQL database to back up}"
MEDIA_ROOT="${MEDIA_ROOT:-${VAR_DIR:-$ROOT/var}/media}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL must be a postgres:// URL" >&2; exit 2 ;;
esac

mkdir -p "$DEST"
DEST="$(cd "$DEST" && pwd)"
stamp="$(date +%Y%m%d-%H%M%S)"
final="$DEST/portal-$stamp"
work="$final.partial"
mkdir -p "$work"
chmod 700 "$work"
trap 'rm -rf "$work"' ERR

# 1. The database: a consistent snapshot, compressed, restorable table by table.
pg_dump --format=custom --compress=6 --no-owner --no-privileges \
  --file="$work/database.dump" "$DATABASE_URL"

# 2. The files, after the dump. A missing MEDIA_ROOT (nothing uploaded yet) gives an empty tar.
mkdir -p "$work/empty"
if [ -d "$MEDIA_ROOT" ]; then media="$MEDIA_ROOT"; else media="$work/empty"; fi
tar --create --file="$work/media.tar" --directory="$media" --numeric-owner .
(cd "$media" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) \
  > "$work/media.sha256"
rmdir "$work/empty"

# 3. The manifest.
database_name="${DATABASE_URL##*/}"
database_name="${database_name%%\?*}"
{
  echo "created: $(date --iso-8601=seconds)"
  echo "host: $(hostname)"
  echo "database: $database_name"
  echo "media_root: $MEDIA_ROOT"
  echo "media_files: $(wc -l < "$work/media.sha256")"
  echo "media_bytes: $(du -sb "$media" | cut -f1)"
  echo "code_commit: $(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
  echo "pg_dump: $(pg_dump --version)"
  echo "last_migrations:"
  psql "$DATABASE_URL" -Atq -c "SELECT '  ' || app || ' ' || max(name) FROM django_migrations
                                GROUP BY app ORDER BY app" 2>/dev/null || true
} > "$work/MANIFEST"
(cd "$work" && sha256sum database.dump media.tar media.sha256 > SHA256SUMS)

mv "$work" "$final"
trap - ERR
echo "$final"
