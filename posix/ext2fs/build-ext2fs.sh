#!/usr/bin/env bash
# build-ext2fs.sh - build e2fsprogs' libext2fs (libext2fs.a), the com_err library it needs
# (libcom_err.a) and the journal recovery code fuse2fs links (libext2fs-journal.a), with
# their headers, for VMOS images, from Debian's e2fsprogs source package, once per set of
# inputs, into a cache folder outside the tree:
# ${XDG_CACHE_HOME:-$HOME/.cache}/vmos/e2fsprogs-<deb version>-<hash> (see README.md for
# what the hash covers).
#
#   build-ext2fs.sh                 build unless the cache holds a complete install
#   build-ext2fs.sh --force         rebuild even so
#   build-ext2fs.sh --print-prefix  print the install folder and stop (for ext2fs.mk)
#
# Environment:
#   EXT2FS_DEB_VERSION  build from this e2fsprogs source version instead of the pinned one
#   EXT2FS_KEEP_BUILD=1 keep the temporary build folder after a successful build
#   VMOS_KIT            the kit `make kit` builds (default: build/kit in this tree); its
#                       bin/vmos-cc is the compiler, its libraries answer the link checks
#   VMOS_HOST_CC        the host compiler behind the wrappers (default gcc)
#   TMPDIR              where the temporary build folder goes (default /tmp)
#
# Quiet unless something fails (then the log's tail is shown and the build folder kept), or
# unless the archives need symbols VMOS does not define: those are printed as a warning.
set -euo pipefail

PINNED_DEB_VERSION=1.47.0-2
DEB_PACKAGE=e2fsprogs

# e2fsprogs' own configure in cross mode, with the kit's vmos-cc as the compiler: compiles
# get the image's flags and headers (posix/posix.mk's APP_CFLAGS: the newlib wrapper,
# APP_OS_DEFINES, -isystem posix/include -isystem newlib, -ffunction-sections
# -fdata-sections), and configure's link probes link real VMOS images, so a HAVE_ answer
# is "yes" exactly when VMOS provides the function. No probe needs to run a program (the
# only AC_RUN_IFELSE, iconv's, belongs to NLS, which is off), so no ac_cv_ answer is
# given.
CONFIGURE_FLAGS=(
	--host=x86_64-elf --build=x86_64-pc-linux-gnu --prefix=/usr
	# no message catalogues: an image has no locale files
	--disable-nls
	# static archives only (an image links everything); --disable-elf-shlibs is
	# configure's default, stated
	--disable-elf-shlibs --disable-bsd-shlibs
	# fuse2fs is a program over libfuse; uuidd a daemon with a socket and a pid file
	--disable-fuse2fs --disable-uuidd
	# e2fsprogs' private uuid and blkid libraries: there is no system one to find (the
	# other setting asks pkg-config for the target's), and the journal code includes
	# their headers. Only three uuid objects are built from them (see below).
	--enable-libuuid --enable-libblkid
	# tdb is the on-disk database behind e2fsck's scratch-file inode counts
	# (ext2fs_create_icount_tdb): a scratch folder and big files, not for mounting
	--disable-tdb
	# backtrace() on a fatal signal is e2fsck's (lib/support), nothing in these archives
	--disable-backtrace
	# VMOS has no thread-local storage: images have no PT_TLS segment and %fs is not set,
	# so error_message()'s `static __thread char buffer[25]` would fault. vmos-cc links
	# __thread code without complaint, so configure's TLS probe (compile only) says yes.
	--disable-tls
)
# e2fsprogs' default, stated so that nothing from the environment slips in (the wrapper
# adds the same); PKG_CONFIG=false: the host's pkg-config knows nothing of VMOS's
# libraries (configure would otherwise take it, with a warning, for the target's).
CONFIGURE_VARS=(CFLAGS="-O2 -g" BUILD_CC=gcc BUILD_CFLAGS="-O2" PKG_CONFIG=false)

# The journal code: fuse2fs (misc/Makefile.in, FUSE2FS_OBJS) and tune2fs link journal.o,
# recovery.o and revoke.o, built by misc/Makefile from debugfs/journal.c (the debugfs
# flavour of e2fsck's journal.c: ext2fs_open_journal, ext2fs_close_journal,
# ext2fs_run_ext3_journal, over an ext2_filsys instead of an e2fsck context),
# e2fsck/recovery.c and e2fsck/revoke.c (the kernel's jbd2 replay code), with -DDEBUGFS.
# They need none of debugfs's command machinery (lib/ss, debugfs.c) nor lib/support:
# beyond libext2fs, libcom_err and libc, journal.c calls uuid_is_null() and
# uuid_unparse() (libuuid: isnull.o, unparse.o and its unpack.o go into the journal
# archive) and, for an external journal device only, blkid_get_cache(),
# blkid_get_devname(), blkid_devno_to_devname() and blkid_put_cache(): libblkid is a
# device-probing library (/proc/partitions, /dev scans) that is not built, so those four
# stay undefined (reported below; an image can define them to find no device, which makes
# an external journal EXT2_ET_LOAD_EXT_JOURNAL). No header of the journal code is
# installed (journal.h needs e2fsprogs' config.h): callers declare
# `errcode_t ext2fs_run_ext3_journal(ext2_filsys *fs);` as fuse2fs does.
JOURNAL_OBJS=(misc/journal.o misc/recovery.o misc/revoke.o
	lib/uuid/isnull.o lib/uuid/unparse.o lib/uuid/unpack.o)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
deb_version=${EXT2FS_DEB_VERSION:-$PINNED_DEB_VERSION}
cc=${VMOS_HOST_CC:-gcc}
kit=${VMOS_KIT:-$repo/build/kit}
cache_root=${XDG_CACHE_HOME:-${HOME:?HOME is not set}/.cache}/vmos

say() { echo "ext2fs: $*"; }
die() {
	echo "ext2fs: $*" >&2
	exit 1
}

newlib_prefix=$(VMOS_HOST_CC=$cc bash "$repo/posix/newlib/build-newlib.sh" --print-prefix)

# The cache key, by content in a fixed order: the host compiler's name, newlib's install
# (its folder name carries newlib's own key: its headers), this script, its patches, the
# compiler wrappers (the newlib wrapper and tools/vmos-cc.in, which holds vmos-cc's
# flags), posix/posix.mk's APP_OS_DEFINES line (substituted into vmos-cc) and every file
# under posix/include (the headers the sources compile against). The kit's libraries
# are not in it (make reads the prefix before they exist); they only decide configure's
# link probes: after the POSIX layer gains a function e2fsprogs looks for, --force.
input_hash() {
	(
		cd "$repo"
		printf 'cc=%s\nnewlib=%s\n' "$cc" "$(basename "$newlib_prefix")"
		grep '^APP_OS_DEFINES' posix/posix.mk
		{
			printf '%s\n' posix/ext2fs/build-ext2fs.sh
			compgen -G 'posix/ext2fs/*.patch' || true
			compgen -G 'posix/newlib/wrappers/*' || true
			printf '%s\n' tools/vmos-cc.in
			find posix/include -type f | LC_ALL=C sort
		} | while read -r f; do
			printf '%s %s\n' "$f" "$(sha256sum <"$f" | cut -d' ' -f1)"
		done
	) | sha256sum | cut -c1-12
}
prefix=$cache_root/$DEB_PACKAGE-$deb_version-$(input_hash)
marker=$prefix/.complete

force=0
case ${1:-} in
--print-prefix)
	echo "$prefix"
	exit 0
	;;
--force) force=1 ;;
"") ;;
*) die "unknown argument '$1' (use --force or --print-prefix)" ;;
esac

if [ "$force" -eq 0 ] && [ -f "$marker" ]; then
	say "using the cached build in $prefix"
	exit 0
fi

# --- what the build needs ------------------------------------------------------------------

tools_missing=()
for entry in make:make ar:binutils nm:binutils readelf:binutils sha256sum:coreutils \
	patch:patch dpkg-source:dpkg-dev apt-get:apt "$cc":gcc; do
	command -v "${entry%%:*}" >/dev/null 2>&1 || tools_missing+=("${entry##*:}")
done
if [ ${#tools_missing[@]} -ne 0 ]; then
	die "missing: $(printf '%s\n' "${tools_missing[@]}" | sort -u | tr '\n' ' ')(Debian" \
		"package names; tools/setup.sh installs them)"
fi

vmos_cc=$kit/bin/vmos-cc
kit_libs=("$kit/libvmos-kernel.a" "$kit/libvmos-posix.a" "$kit/libvmos-net.a")
for f in "$vmos_cc" "${kit_libs[@]}"; do
	[ -f "$f" ] || die "$f is missing: run 'make kit' first"
done
# The libraries vmos-cc links an image with (its generated variables), so that the check
# below asks exactly what an image would find.
kit_value() { sed -n "s/^$1=//p" "$vmos_cc" | head -n1; }
newlib_include=$(kit_value NEWLIB_INCLUDE)
read -r -a newlib_libs <<<"$(kit_value NEWLIB_LIBS | tr -d '()')"
libgcc=$(kit_value LIBGCC)
if [ "$(basename "$(dirname "$newlib_include")")" != "$(basename "$newlib_prefix")" ]; then
	die "$vmos_cc uses $(dirname "$newlib_include"), not the current newlib" \
		"($(basename "$newlib_prefix")): run 'make kit'"
fi
for f in "${newlib_libs[@]}" "$libgcc"; do
	[ -f "$f" ] || die "$f (named by $vmos_cc) is missing: run 'make kit'"
done

# --- build ---------------------------------------------------------------------------------

mkdir -p "$cache_root"
build=$(mktemp -d "${TMPDIR:-/tmp}/vmos-ext2fs.XXXXXX")
log=$build/build.log
: >"$log"

fail() {
	echo "ext2fs: $* failed; the last lines of $log:" >&2
	tail -n 40 "$log" | sed 's/^/  | /' >&2
	echo "ext2fs: the build folder $build is kept for inspection" >&2
	exit 1
}
# run STEP CMD...: runs CMD with its output in the log, stops with the log's tail on failure.
run() {
	local step=$1
	shift
	echo "### $step: $*" >>"$log"
	"$@" >>"$log" 2>&1 || fail "$step"
}

# Only what this script sets reaches configure and make: nothing from the calling make
# (MAKEFLAGS would pass the top-level command line's variables down) or the shell.
unset CFLAGS CXXFLAGS CPPFLAGS LDFLAGS LIBS CC CXX CPP AR AS LD NM RANLIB \
	MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS VMOS_SYSROOT VMOS_CC_RUNNABLE VMOS_DISK
export LC_ALL=C
export VMOS_HOST_CC=$cc
# Build paths leave the objects' debug info: the build folder reads as /vmos-ext2fs-build.
export VMOS_PREFIX_MAP=$build=/vmos-ext2fs-build

say "building $DEB_PACKAGE $deb_version's libext2fs for VMOS (a minute or two; log: $log)"
start=$(date +%s)

run "fetching the source" bash "$repo/tools/debian-source.sh" "$DEB_PACKAGE" "$deb_version" \
	"$build/src"
for p in "$here"/*.patch; do
	[ -f "$p" ] || continue
	run "patch $(basename "$p")" patch -d "$build/src" -p1 --batch --forward -i "$p"
done

configure_line=("$build/src/configure" "CC=$vmos_cc" "${CONFIGURE_VARS[@]}"
	"${CONFIGURE_FLAGS[@]}")
obj=$build/obj
mkdir -p "$obj" "$build/destdir"
cd "$obj"
run configure "${configure_line[@]}"
# The generated files every library folder needs (util/subst, lib/config.h, dirpaths.h),
# then the two libraries (lib/et first: its compile_et makes ext2_err.h), the uuid and
# blkid headers journal.c includes, and the journal objects by misc/Makefile's own rules.
run "make subs" make subs
run "make lib/et" make -C lib/et -j2
run "make lib/ext2fs" make -C lib/ext2fs -j2
run "make lib/uuid" make -C lib/uuid uuid.h isnull.o unparse.o unpack.o
run "make lib/blkid" make -C lib/blkid blkid.h
run "make the journal objects" make -C misc -j2 journal.o recovery.o revoke.o
run "archiving the journal objects" ar rcsD lib/libext2fs-journal.a "${JOURNAL_OBJS[@]}"
run "make install lib/et" make -C lib/et install "DESTDIR=$build/destdir"
run "make install lib/ext2fs" make -C lib/ext2fs install "DESTDIR=$build/destdir"

# --- verify --------------------------------------------------------------------------------

inc=$build/destdir/usr/include
lib=$build/destdir/usr/lib
cp lib/libext2fs-journal.a "$lib/"
archives=("$lib/libext2fs.a" "$lib/libcom_err.a" "$lib/libext2fs-journal.a")
for f in "${archives[@]}" "$inc/ext2fs/ext2fs.h" "$inc/ext2fs/ext2_err.h" \
	"$inc/ext2fs/ext2_types.h" "$inc/et/com_err.h"; do
	[ -f "$f" ] || { echo "missing $f" >>"$log" && fail "install"; }
done
# No thread-local storage (--disable-tls above): no TLS section in any object.
if grep -q '^#define TLS' lib/config.h ||
	readelf -SW "${archives[@]}" | grep ' \.t\(data\|bss\)' >/dev/null; then
	echo "lib/config.h or an object asks for thread-local storage" >>"$log"
	fail "the thread-local storage check"
fi
cp lib/config.h "$build/config.h"

# The symbols the archives reference and do not define, and those of them that nothing an
# image links (the kernel, the POSIX layer, the network, newlib, libgcc: vmos-cc's list)
# defines, less what the disk layer that links them defines itself (posix/disk/blkid.c:
# the journal code's four libblkid calls). What is left is a gap in VMOS: a warning.
undefined_in() {
	nm -A "$@" 2>/dev/null | awk 'NF >= 2 && $(NF-1) == "U" { print $NF }' | sort -u
}
defined_in() {
	nm -A "$@" 2>/dev/null | awk 'NF >= 3 && $(NF-1) ~ /^[TDBRWVCGSAIui]$/ { print $NF }' |
		sort -u
}
comm -23 <(undefined_in "${archives[@]}") <(defined_in "${archives[@]}") |
	grep -vx '_GLOBAL_OFFSET_TABLE_' >"$build/undefined-symbols.txt" || true
disk_layer_defines=(blkid_devno_to_devname blkid_get_cache blkid_get_devname blkid_put_cache)
comm -23 "$build/undefined-symbols.txt" \
	<({ defined_in "${kit_libs[@]}" "${newlib_libs[@]}" "$libgcc"
		printf '%s\n' "${disk_layer_defines[@]}"; } | sort -u) >"$build/missing-symbols.txt"
{
	echo "### undefined symbols: $(wc -l <"$build/undefined-symbols.txt")," \
		"not defined by VMOS: $(wc -l <"$build/missing-symbols.txt")"
	cat "$build/missing-symbols.txt"
} >>"$log"

# The installed headers alone compile a caller with the image's flags, and a program that
# opens a file system with the Unix I/O manager and replays its journal, as fuse2fs does,
# links into an image with the archives (vmos-cc: the whole image, tools/check-image.sh
# included), the missing symbols above standing in as empty functions: everything else the
# archives need resolves in VMOS.
verify=$build/verify
mkdir -p "$verify"
cat >"$verify/mount.c" <<'EOF'
#include <et/com_err.h>
#include <ext2fs/ext2fs.h>
#include <stdio.h>

/* libext2fs-journal.a: debugfs/journal.c, as misc/fuse2fs.c declares it */
errcode_t ext2fs_run_ext3_journal(ext2_filsys *fs);

int main(int argc, char **argv)
{
	ext2_filsys fs;
	errcode_t err;

	err = ext2fs_open(argc > 1 ? argv[1] : "/dev/vda", EXT2_FLAG_RW | EXT2_FLAG_64BITS, 0, 0,
			  unix_io_manager, &fs);
	if (err) {
		com_err(argv[0], err, "while opening the file system");
		return 1;
	}
	if (ext2fs_has_feature_journal_needs_recovery(fs->super)) {
		err = ext2fs_run_ext3_journal(&fs);
		if (err)
			fprintf(stderr, "%s: %s\n", argv[0], error_message(err));
	}
	err = ext2fs_read_bitmaps(fs);
	printf("%u inodes, %llu blocks, %s\n", fs->super->s_inodes_count,
	       (unsigned long long)ext2fs_blocks_count(fs->super), error_message(err));
	return ext2fs_close_free(&fs) != 0;
}
EOF
{
	echo '.text'
	# The missing symbols, and what the disk layer defines (not linked here), as stubs.
	while read -r s; do
		printf '.globl %s\n.type %s, @function\n%s: ret\n' "$s" "$s" "$s"
	done < <(cat "$build/missing-symbols.txt"; printf '%s\n' "${disk_layer_defines[@]}")
} >"$verify/missing-stubs.s"
run "compiling a caller against the installed headers" "$vmos_cc" -std=gnu11 -Wall -Wextra \
	-Werror -isystem "$inc" -c "$verify/mount.c" -o "$verify/mount.o"
run "linking it into an image" "$vmos_cc" -o "$verify/mount.elf" "$verify/mount.o" \
	"$verify/missing-stubs.s" -L "$lib" -lext2fs-journal -lext2fs -lcom_err

# --- install into the cache ----------------------------------------------------------------

# One build at a time per cache folder; the marker is written last.
mkdir -p "$prefix"
exec 9>"$prefix/.lock"
command -v flock >/dev/null 2>&1 && flock 9
if [ "$force" -eq 0 ] && [ -f "$marker" ]; then
	say "another build finished $prefix meanwhile; using it"
else
	rm -f "$marker"
	find "$prefix" -mindepth 1 -maxdepth 1 ! -name .lock -exec rm -rf {} +
	mkdir -p "$prefix/include" "$prefix/lib"
	cp -R "$inc/ext2fs" "$inc/et" "$inc/com_err.h" "$prefix/include/"
	cp "${archives[@]}" "$prefix/lib/"
	cp "$build/config.h" "$build/undefined-symbols.txt" "$build/missing-symbols.txt" \
		"$prefix/"
	gzip -9n <"$log" >"$prefix/build.log.gz"
	dsc=${XDG_CACHE_HOME:-$HOME/.cache}/vmos/debsrc/src/${DEB_PACKAGE}_$deb_version.dsc
	{
		echo "libext2fs, libcom_err and the journal code from Debian $DEB_PACKAGE $deb_version"
		if [ -f "$dsc" ]; then
			echo "dsc sha256: $(sha256sum <"$dsc" | cut -d' ' -f1)"
		fi
		echo "patches: $(cd "$here" && compgen -G '*.patch' | tr '\n' ' ' || echo none)"
		echo "compiler: $vmos_cc over $("$cc" --version | head -n1)"
		printf 'configure:'
		printf ' %q' "${configure_line[@]}" | sed "s|$build|BUILD|g; s|$repo/||g"
		echo
		echo "journal archive: ${JOURNAL_OBJS[*]}"
		echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(($(date +%s) - start)) s"
	} >"$prefix/build-info.txt"
	touch "$marker"
fi

cd /
if [ "${EXT2FS_KEEP_BUILD:-0}" = 1 ]; then
	say "kept the build folder $build"
else
	rm -rf "$build"
fi
say "installed in $prefix ($(($(date +%s) - start)) s)"
if [ -s "$prefix/missing-symbols.txt" ]; then
	echo "ext2fs: warning: the archives need $(wc -l <"$prefix/missing-symbols.txt") symbols" \
		"VMOS does not define (an image that links them fails until it does; the list is" \
		"$prefix/missing-symbols.txt): $(tr '\n' ' ' <"$prefix/missing-symbols.txt")" >&2
fi
