#!/usr/bin/env bash
# build-newlib.sh - build newlib (libc.a, libm.a and their headers) for the VMOS kernel
# image from Debian's newlib-source package, once per set of inputs, into a cache folder
# outside the tree: ${XDG_CACHE_HOME:-$HOME/.cache}/vmos/newlib-<deb version>-<hash>, the
# hash covering this script (with its flags), the patches and the compiler wrapper.
#
#   build-newlib.sh                 build unless the cache holds a complete install
#   build-newlib.sh --force         rebuild even so
#   build-newlib.sh --print-prefix  print the install folder and stop (for newlib.mk)
#
# Environment:
#   NEWLIB_DEB_VERSION  build from this newlib-source version instead of the pinned one
#   NEWLIB_KEEP_BUILD=1 keep the temporary build folder after a successful build
#   VMOS_HOST_CC        the host compiler behind the wrapper (default gcc)
#   TMPDIR              where the temporary build folder goes (default /tmp)
#
# Quiet unless something fails; the whole configure/make log stays in the build folder,
# whose path is printed with the log's tail on failure.
set -euo pipefail

PINNED_DEB_VERSION=3.3.0-1.3+deb12u1
DEB_PACKAGE=newlib-source
SRC_DIR=/usr/src/newlib
TARGET=x86_64-elf

CONFIGURE_FLAGS=(
	"--target=$TARGET"
	--prefix=/usr
	--disable-multilib
	--disable-newlib-supplied-syscalls
	--enable-newlib-retargetable-locking
	--enable-newlib-io-long-long
	--enable-newlib-io-c99-formats
)
# newlib's own default CFLAGS_FOR_TARGET, stated so that nothing from the environment slips
# in; the code-generation flags are in wrappers/x86_64-elf-gcc.
TARGET_CFLAGS="-O2 -g"

# Symbols libc.a leaves for the OS layer (posix/) to define; checked after every build so
# that README.md's list stays true. _GLOBAL_OFFSET_TABLE_ (the linker's) is not listed.
EXPECTED_UNDEFINED=(
	__getreent _exit _fini _init
	close execve fcntl fork fstat getentropy getpid gettimeofday isatty kill link lseek mkdir
	open posix_memalign read sbrk sigprocmask stat times unlink wait write
	regcomp regexec regfree
	__retarget_lock_acquire __retarget_lock_acquire_recursive __retarget_lock_close_recursive
	__retarget_lock_init_recursive __retarget_lock_release __retarget_lock_release_recursive
	__lock___arc4random_mutex __lock___at_quick_exit_mutex __lock___atexit_recursive_mutex
	__lock___env_recursive_mutex __lock___malloc_recursive_mutex __lock___sfp_recursive_mutex
	__lock___sinit_recursive_mutex __lock___tz_mutex
)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
deb_version=${NEWLIB_DEB_VERSION:-$PINNED_DEB_VERSION}
cc=${VMOS_HOST_CC:-gcc}
cache_root=${XDG_CACHE_HOME:-${HOME:?HOME is not set}/.cache}/vmos

say() { echo "newlib: $*"; }
die() {
	echo "newlib: $*" >&2
	exit 1
}

# The cache key: the host compiler's name, this script, the patches and the wrappers, by
# content, in a fixed order.
input_hash() {
	(
		cd "$here"
		printf 'cc=%s\n' "$cc"
		for f in build-newlib.sh *.patch wrappers/*; do
			[ -f "$f" ] || continue
			printf '%s\n' "$f"
			sha256sum <"$f"
		done
	) | sha256sum | cut -c1-12
}
prefix=$cache_root/newlib-$deb_version-$(input_hash)
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

# --- the source package --------------------------------------------------------------------

find_tarball() { compgen -G "$SRC_DIR/newlib-*.tar.*" | head -n1 || true; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "need root to run '$*'; run it as root or install sudo"
	fi
}

# Installs Debian packages (NAME or NAME=VERSION) with apt-get, or names them and stops.
apt_install() {
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "newlib: missing: $* (Debian package names); without apt-get (not Debian or" \
			"Ubuntu), install the equivalents by hand" >&2
		case " $* " in
		*" $DEB_PACKAGE="*)
			echo "newlib: the source must be the tarball of Debian's $DEB_PACKAGE" \
				"$deb_version, in $SRC_DIR/ (extract the .deb: dpkg-deb -x, or ar x" \
				"then tar -xf data.tar.xz)" >&2
			;;
		esac
		exit 1
	fi
	say "installing $* with apt-get"
	local log
	log=$(mktemp "${TMPDIR:-/tmp}/vmos-newlib-apt.XXXXXX")
	if ! { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends "$@"; } >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		die "apt-get could not install $* (full output: $log)"
	fi
	rm -f "$log"
}

tools_missing=()
for entry in patch:patch xz:xz-utils make:make ar:binutils nm:binutils readelf:binutils \
	ld:binutils sha256sum:coreutils "$cc":gcc; do
	command -v "${entry%%:*}" >/dev/null 2>&1 || tools_missing+=("${entry##*:}")
done
if [ ${#tools_missing[@]} -ne 0 ]; then
	mapfile -t tools_missing < <(printf '%s\n' "${tools_missing[@]}" | sort -u)
	apt_install "${tools_missing[@]}"
fi

tarball=$(find_tarball)
if [ -z "$tarball" ]; then
	apt_install "$DEB_PACKAGE=$deb_version"
	tarball=$(find_tarball)
	[ -n "$tarball" ] || die "$DEB_PACKAGE is installed but $SRC_DIR/ holds no newlib tarball"
fi

if command -v dpkg-query >/dev/null 2>&1; then
	have=$(dpkg-query -W -f='${Status} ${Version}' "$DEB_PACKAGE" 2>/dev/null || true)
	case $have in
	"install ok installed $deb_version") ;;
	"install ok installed "*)
		have=${have##* }
		die "$DEB_PACKAGE $have is installed, the build is pinned to $deb_version:" \
			"install that one (apt-get install $DEB_PACKAGE=$deb_version) or accept" \
			"this one with NEWLIB_DEB_VERSION=$have"
		;;
	*) die "$tarball is there but dpkg does not list $DEB_PACKAGE as installed; install" \
		"it (apt-get install $DEB_PACKAGE=$deb_version) so that its version can be checked" ;;
	esac
else
	say "note: no dpkg-query here, so $tarball cannot be checked to be $DEB_PACKAGE $deb_version"
fi

# --- build ---------------------------------------------------------------------------------

mkdir -p "$cache_root"
build=$(mktemp -d "${TMPDIR:-/tmp}/vmos-newlib.XXXXXX")
log=$build/build.log
: >"$log"

fail() {
	echo "newlib: $* failed; the last lines of $log:" >&2
	tail -n 40 "$log" | sed 's/^/  | /' >&2
	echo "newlib: the build folder $build is kept for inspection" >&2
	exit 1
}
# run STEP CMD...: runs CMD with its output in the log, stops with the log's tail on failure.
run() {
	local step=$1
	shift
	echo "### $step: $*" >>"$log"
	"$@" >>"$log" 2>&1 || fail "$step"
}

# Only what this script sets reaches newlib's configure and make: nothing from the calling
# make (MAKEFLAGS would pass the top-level command line's variables down) or the shell.
unset CFLAGS CXXFLAGS CPPFLAGS LDFLAGS CC CXX CPP AR AS LD NM RANLIB \
	MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS
export LC_ALL=C
export VMOS_HOST_CC=$cc
VMOS_GCC_INCLUDE=$("$cc" -print-file-name=include)
export VMOS_GCC_INCLUDE
# Build paths leave the objects' debug info and __FILE__ strings: the build folder reads as
# /vmos-newlib-build (gdb: set substitute-path).
export VMOS_PREFIX_MAP=$build=/vmos-newlib-build

say "building newlib $deb_version for $TARGET (a few minutes; log: $log)"
start=$(date +%s)

mkdir -p "$build/src" "$build/obj" "$build/destdir"
run unpack tar -C "$build/src" --strip-components=1 -xf "$tarball"
for p in "$here"/*.patch; do
	run "patch $(basename "$p")" patch -d "$build/src" -p1 --batch --forward -i "$p"
done

configure_line=(
	"$build/src/configure" "${CONFIGURE_FLAGS[@]}"
	"CC_FOR_TARGET=$here/wrappers/$TARGET-gcc" "CFLAGS_FOR_TARGET=$TARGET_CFLAGS"
	AR_FOR_TARGET=ar AS_FOR_TARGET=as LD_FOR_TARGET=ld NM_FOR_TARGET=nm
	RANLIB_FOR_TARGET=ranlib OBJCOPY_FOR_TARGET=objcopy OBJDUMP_FOR_TARGET=objdump
	READELF_FOR_TARGET=readelf STRIP_FOR_TARGET=strip
)
cd "$build/obj"
run configure "${configure_line[@]}"
run make make -j2 all-target-newlib
run install make install-target-newlib "DESTDIR=$build/destdir"

# --- verify --------------------------------------------------------------------------------

installed=$build/destdir/usr/$TARGET
inc=$installed/include
lib=$installed/lib
for f in "$lib/libc.a" "$lib/libm.a" "$inc/stdio.h" "$inc/newlib.h"; do
	[ -f "$f" ] || { echo "missing $f" >>"$log" && fail "install"; }
done

# newlib's default locks (misc/lock.c: the __retarget_lock_* functions and __lock___*
# objects) are no-ops for single-threaded programs; VMOS's POSIX layer must supply them, so
# they go: forgetting one is a link error, not a silent race.
run "removing the default locks" ar d "$lib/libc.a" lib_a-lock.o

# The symbols the archive references and does not define: what the OS layer must supply.
undefined_in() {
	nm -A "$@" 2>/dev/null | awk '$(NF-1) == "U" { print $NF }' | sort -u
}
defined_in() {
	nm -A "$@" 2>/dev/null | awk 'NF >= 3 && $(NF-1) ~ /^[TDBRWVCGSAIui]$/ { print $NF }' |
		sort -u
}
comm -23 <(undefined_in "$lib/libc.a") <(defined_in "$lib/libc.a") |
	grep -vx '_GLOBAL_OFFSET_TABLE_' >"$build/undefined-symbols.txt" || true
if ! diff -u <(printf '%s\n' "${EXPECTED_UNDEFINED[@]}" | sort) "$build/undefined-symbols.txt" \
	>>"$log" 2>&1; then
	fail "the check of libc.a's undefined symbols (expected - / found +)"
fi

# A program that uses the usual things links into a static PIE with only R_X86_64_RELATIVE
# dynamic relocations, the OS symbols coming from stubs.
verify=$build/verify
mkdir -p "$verify"
cat >"$verify/test.c" <<'EOF'
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(void)
{
	double v[3] = { strtod("2.5", NULL), sin(1.0), 0.5 };
	qsort(v, 3, sizeof v[0], compare);
	char *p = malloc(64);
	if (p == NULL) {
		errno = ENOMEM;
		return 1;
	}
	snprintf(p, 64, "%lld", (long long)v[2]);
	printf("%s %g %d\n", p, v[0], errno);
	fputs("done\n", stdout);
	free(p);
	return 0;
}
EOF
{
	echo '.text'
	for s in "${EXPECTED_UNDEFINED[@]}"; do
		case $s in
		__lock___*) printf '.bss\n.globl %s\n%s: .zero 64\n.text\n' "$s" "$s" ;;
		*) printf '.globl %s\n.type %s, @function\n%s: ret\n' "$s" "$s" "$s" ;;
		esac
	done
} >"$verify/os-stubs.s"
run "test compile" "$here/wrappers/$TARGET-gcc" -std=gnu11 -Wall -Werror -isystem "$inc" \
	-c "$verify/test.c" -o "$verify/test.o"
run "test stubs" "$here/wrappers/$TARGET-gcc" -c "$verify/os-stubs.s" -o "$verify/os-stubs.o"
run "test link" ld -static -pie --no-dynamic-linker -z noexecstack -e main \
	-o "$verify/test.elf" "$verify/test.o" "$verify/os-stubs.o" "$lib/libc.a" "$lib/libm.a"
readelf -W -r "$verify/test.elf" >"$verify/relocs.txt"
bad=$(awk '/^[0-9a-f]+ / && $3 != "R_X86_64_RELATIVE" { print $3 }' "$verify/relocs.txt" |
	sort -u)
if [ -n "$bad" ]; then
	echo "test.elf has dynamic relocations other than R_X86_64_RELATIVE: $bad" >>"$log"
	fail "the relocation check"
fi

# The installed headers alone (no -D__DYNAMIC_REENT__ here) must route the per-thread state
# through __getreent(): errno through __errno(), stdout through the thread's struct _reent.
"$cc" -nostdinc -U__linux__ -isystem "$inc" -isystem "$VMOS_GCC_INCLUDE" -E -P \
	"$verify/test.c" >"$verify/test.i" 2>>"$log" || fail "preprocessing the test"
if ! grep -q '(\*__errno()) = 12' "$verify/test.i" ||
	! grep -q '(__getreent())->_stdout' "$verify/test.i"; then
	echo "errno/stdout do not go through __errno()/__getreent() in $verify/test.i" >>"$log"
	fail "the per-thread errno check"
fi
if ! nm "$lib/libc.a" 2>/dev/null | awk '/^lib_a-errno.o:/ { f = 1; next } /^$/ { f = 0 } f' |
	grep -q ' U __getreent$'; then
	echo "__errno() in libc.a does not call __getreent()" >>"$log"
	fail "the per-thread errno check"
fi

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
	mkdir -p "$prefix/lib"
	cp -R "$inc" "$prefix/include"
	cp "$lib/libc.a" "$lib/libm.a" "$prefix/lib/"
	cp "$build/undefined-symbols.txt" "$prefix/"
	gzip -9n <"$log" >"$prefix/build.log.gz"
	{
		echo "newlib from Debian $DEB_PACKAGE $deb_version ($(basename "$tarball"))"
		echo "tarball sha256: $(sha256sum <"$tarball" | cut -d' ' -f1)"
		echo "patches: $(cd "$here" && echo *.patch)"
		echo "compiler: $("$cc" --version | head -n1)"
		printf 'configure:'
		printf ' %q' "${configure_line[@]}" | sed "s|$build|BUILD|g; s|$here|posix/newlib|g"
		echo
		echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(($(date +%s) - start)) s"
	} >"$prefix/build-info.txt"
	touch "$marker"
fi

cd /
if [ "${NEWLIB_KEEP_BUILD:-0}" = 1 ]; then
	say "kept the build folder $build"
else
	rm -rf "$build"
fi
say "installed in $prefix ($(($(date +%s) - start)) s)"
