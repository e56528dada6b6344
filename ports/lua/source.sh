#!/usr/bin/env bash
# source.sh DEST - Lua from Debian's source package (pinned in ports/lua/version) in DEST
# with upstream's build system: Debian's 0001-build-system.patch, which changes only the
# two Makefiles (a libtool build of the shared liblua5.4.so for Debian's packages), is
# reversed; a VMOS image links Lua statically, as upstream's `make linux` does. Debian's
# other patches (module paths, extern "C", the two CVE fixes) stay applied.
set -euo pipefail
dest=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=ports/lua/version
. "$here/version"
bash "$here/../../tools/debian-source.sh" lua5.4 "$LUA_VERSION" "$dest"
patch -R -p1 -s -d "$dest" <"$dest/debian/patches/0001-build-system.patch"
# Debian's configure step (debian/rules) writes the header its luaconf.h patch includes:
# the multiarch folder in the C-module search path. The same value as Debian's amd64.
printf '#ifndef _LUA_DEB_MULTIARCH_\n#define _LUA_DEB_MULTIARCH_\n#define DEB_HOST_MULTIARCH "x86_64-linux-gnu"\n#endif\n' \
	>"$dest/src/lua5.4-deb-multiarch.h"
