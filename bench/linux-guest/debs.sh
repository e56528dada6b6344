# debs.sh - pinned Debian binary packages for the Linux guests (sourced by build.sh and
# servers.sh): a private apt set-up, the version list, the .deb cache, downloads checked
# against the archive's signed index, and unpacking once per version. The machine's own
# apt set-up is not changed.
#
# The caller sets before sourcing: `cache` (the .deb cache's parent: debs go in
# $cache/debs), `prog` (its name, for messages). Then:
#   debs_apt STATE SUITE_LINE...   private apt state in STATE, sources from the lines
#                                  ("deb URL SUITE main"); sets apt_opts
#   debs_read FILE                 read "PKG VERSION" lines into version[] and debs_pkgs
#   deb_file PKG                   the cached .deb's path, or nothing
#   debs_fetch FILE                download the pinned ones not cached yet (FILE: where
#                                  the pins are, for messages); exits with a message when
#                                  the archive lacks a pinned version or a download fails
#   debs_extract OUTDIR PKG        unpack into OUTDIR/pkgs/PKG once per version
# shellcheck shell=bash disable=SC2154

declare -A version=()
debs_pkgs=()
apt_opts=()

debs_apt() {
	local state=$1
	shift
	mkdir -p "$state/lists/partial" "$state/archives/partial" "$cache/debs"
	printf '%s\n' "$@" >"$state/sources.list"
	apt_opts=(-o "Dir::Etc::SourceList=$state/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
		-o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state" -o "APT::Sandbox::User=root"
		-o "APT::Architecture=amd64")
}

debs_read() {
	local pkg ver
	while read -r pkg ver; do
		case "$pkg" in '' | '#'*) continue ;; esac
		version[$pkg]=$ver
		debs_pkgs+=("$pkg")
	done <"$1"
}

# apt-get download's name: ':' becomes %3a; the architecture is amd64 or all.
deb_file() {
	local f
	for f in "$cache/debs/${1}_${version[$1]//:/%3a}_"{amd64,all}.deb; do
		[ -s "$f" ] && { echo "$f"; return; }
	done
	return 0
}

debs_fetch() {
	local pins=$1 pkg available missing=() wanted=()
	for pkg in "${debs_pkgs[@]}"; do
		[ -n "$(deb_file "$pkg")" ] || missing+=("$pkg")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "$prog: fetching ${missing[*]} from Debian" >&2
		apt-get "${apt_opts[@]}" update -qq
		for pkg in "${missing[@]}"; do
			available=$(apt-cache "${apt_opts[@]}" madison "$pkg" | awk -F'|' '{gsub(/ /, "", $2); print $2}')
			if ! grep -qxF "${version[$pkg]}" <<<"$available"; then
				echo "$prog: $pkg ${version[$pkg]} (pinned in $pins) is not in the archive;" \
					"it has: $(tr '\n' ' ' <<<"${available:-no such package}")" >&2
				[[ $pkg == linux-image-* ]] && echo "$prog: the current cloud kernel:" \
					"$(apt-cache "${apt_opts[@]}" depends linux-image-cloud-amd64 2>/dev/null |
						awk '/Depends: linux-image/ {print $2}')" >&2
				exit 1
			fi
			wanted+=("$pkg=${version[$pkg]}")
		done
		# apt-get download checks each file against the archive's signed index.
		if ! (cd "$cache/debs" && apt-get "${apt_opts[@]}" download -qq "${wanted[@]}"); then
			echo "$prog: apt-get download of ${wanted[*]} failed (the index may list a" \
				"version whose file the archive no longer serves)" >&2
			exit 1
		fi
	fi
	for pkg in "${debs_pkgs[@]}"; do
		[ -n "$(deb_file "$pkg")" ] || { echo "$prog: download of $pkg failed" >&2; exit 1; }
	done
}

debs_extract() {
	local dir=$1/pkgs/$2
	if [ "$(cat "$dir.version" 2>/dev/null)" != "${version[$2]}" ]; then
		rm -rf "$dir"
		mkdir -p "$1/pkgs"
		dpkg-deb -x "$(deb_file "$2")" "$dir"
		echo "${version[$2]}" >"$dir.version"
	fi
}
