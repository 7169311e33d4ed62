#!/usr/bin/env bash
# make fuzz: each libFuzzer target built with AddressSanitizer (and LeakSanitizer) in its own
# build folder (.build-fuzz), run for SECONDS from the seed corpus in
# Tests/ForumFuzzingTests/Corpus/<target>; new inputs go to .build-fuzz/corpus, a failing input
# to .build-fuzz/findings/<target>/. Exit 1 on any crash, leak or timeout.
# Usage: fuzz.sh [SECONDS] (FUZZ_TARGETS="RosterCSV:roster-csv …" for some). A finding replays with `swift run Fuzz<Target> FILE` (no sanitizer)
# and belongs in the seed corpus, where FuzzCorpusTests replays it on every `make test`.
set -euo pipefail
seconds=${1:-60}
swift=${SWIFT:-swift}
scratch=.build-fuzz
status=0
for pair in ${FUZZ_TARGETS:-BadgeCode:badge-code RosterCSV:roster-csv AgendaYAML:agenda-yaml ScanRequest:scan-request Workbook:workbook}; do
    name=Fuzz${pair%%:*}
    target=${pair##*:}
    "$swift" build --scratch-path "$scratch" --product "$name" -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld 2>&1 | grep -E "error|warning: unre|Compiling Fuzz|Build" || true
    mkdir -p "$scratch/corpus/$target" "$scratch/findings/$target" "$scratch/seeds/$target"
    # Seeds some targets make at run time (workbooks from forumops' own writer), not kept as binaries.
    "$scratch/debug/$name" --write-seeds "$scratch/seeds/$target"
    echo "fuzzing $target for $seconds s"
    if ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=Fuzz/lsan.supp "$scratch/debug/$name" "$scratch/corpus/$target" "Tests/ForumFuzzingTests/Corpus/$target" "$scratch/seeds/$target" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
        -artifact_prefix="$scratch/findings/$target/" -print_final_stats=1 > "$scratch/$target.log" 2>&1; then
        grep -E "^stat::(number_of_executed_units|peak_rss_mb|new_units_added)" "$scratch/$target.log" | tr '\n' ' '
        echo
    else
        status=1
        echo "FINDING in $target:"
        grep -E "ERROR|SUMMARY|Fatal error|precondition|Test unit written" "$scratch/$target.log" | head -20
    fi
done
exit $status
