#!/usr/bin/env bash
# Every C source and header follows .clang-format (kernel style), except the
# example programs' datapath files, which keep the shape p4c generates.
set -euo pipefail
cd "$(dirname "$0")/.."
bad=()
while IFS= read -r f; do
	case "$f" in
	examples/*/*_parser.[ch] | examples/*/*_control_blocks.c) continue ;;
	esac
	clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done < <(find bench bpf bridge dataplane examples include kernel tests \
	-name '*.[ch]' | sort)
if [ ${#bad[@]} -gt 0 ]; then
	echo "not clang-formatted (run clang-format -i on them):"
	printf '  %s\n' "${bad[@]}"
	exit 1
fi
echo "all sources clang-formatted"
