#!/bin/sh
# Publish a site built on this machine to a separate public web server without a half-copied
# moment: the files go into a new release folder beside the live one (unchanged files as hard
# links to the live release, so only what changed travels), and one symbolic link is switched
# in a single rename. See docs/drift.md.
#
#   deploy/publish-remote.sh SITE SERVER DIR
#   deploy/publish-remote.sh /var/www/justerat/site www.kommun.se /var/www/justerat
#
# On SERVER, DIR/site is a symbolic link to DIR/releases/<time>; nginx serves DIR/site.
set -eu
site=$1 server=$2 dir=$3
release=$(date -u +%Y%m%dT%H%M%S.%NZ)
current=$(ssh "$server" "readlink '$dir/site' || true")   # releases/<time> of the live site
# --link-dest is relative to the new release's folder: its sibling
link_dest=${current:+--link-dest=../$(basename "$current")}
ssh "$server" "mkdir -p '$dir/releases'"
rsync -a --delete $link_dest "$site/" "$server:$dir/releases/$release/"
# ln -s into a new name, then mv -T: the switch is one rename(2), atomic for every reader
ssh "$server" "ln -sfn 'releases/$release' '$dir/site.next' && mv -T '$dir/site.next' '$dir/site'"
# keep the three latest releases
ssh "$server" "ls -1d '$dir'/releases/* | head -n -3 | xargs -r rm -rf"
