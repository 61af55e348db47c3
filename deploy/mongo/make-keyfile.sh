#!/usr/bin/env bash
# Creates the replica set's internal-authentication key once, in the volume that
# the mongo service mounts read-only. Run by the one-shot `mongo-keyfile` service as
# root. mongod insists that the key belongs to the user it runs as (uid 999 in the
# official image) and that nobody else can read it, hence the owner and mode 400.
set -euo pipefail

key_file="${MONGO_KEYFILE:-/etc/mongo-keyfile/keyfile}"
mongod_uid="${MONGOD_UID:-999}"

if [[ ! -s "$key_file" ]]; then
    umask 077
    # 756 random bytes make 1008 base64 characters; mongod accepts 6 to 1024 and
    # ignores the line breaks.
    head -c 756 /dev/urandom | base64 > "$key_file.new"
    mv "$key_file.new" "$key_file"
    echo "created a new replica set key file at $key_file"
fi
chown "$mongod_uid:$mongod_uid" "$key_file"
chmod 400 "$key_file"
