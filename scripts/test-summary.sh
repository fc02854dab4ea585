#!/usr/bin/env bash
# Sums the counters of every TRX file into one closing line: "Tests: N passed, N failed, N skipped".
# Failed tests are named just above it, each with the first lines of its message: CI shows only the
# tail of the output, and a count alone does not say which test to look at.
set -euo pipefail
dir=${1:-.test-results}
passed=0 failed=0 skipped=0
shopt -s nullglob
for trx in "$dir"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  p=$(get passed); f=$(get failed); e=$(get error); t=$(get total); x=$(get executed)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
  skipped=$((skipped + ${t:-0} - ${x:-0}))
  # A failed result's element carries testName and outcome="Failed"; its <Message> follows within the element.
  awk -v lines=6 '
    /<UnitTestResult / && /outcome="Failed"/ {
      name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name)
      gsub(/&quot;/, "\"", name); gsub(/&amp;/, "\\&", name)
      print "FAILED: " name; inside = 1; shown = -1; sub(/<UnitTestResult [^>]*>/, "") }
    inside && /<Message>/ { shown = 0; sub(/.*<Message>/, "") }
    inside && shown >= 0 && shown < lines {
      end = sub(/<\/Message>.*/, ""); gsub(/&lt;/, "<"); gsub(/&gt;/, ">"); gsub(/&quot;/, "\""); gsub(/&amp;/, "\\&")
      print "  " $0; shown++; if (end) shown = lines }
    inside && /<\/UnitTestResult>/ { inside = 0 }
  ' "$trx"
done
echo "Tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
