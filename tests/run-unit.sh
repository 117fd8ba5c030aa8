#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run every unit test program; fail if any fails.  Each is a cmocka runner
# and prints its own per-test lines and summary.
status=0
passed=0
failed=0
for t in "$@"; do
  if "$t"; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; echo "FAILED: $t" >&2; fi
done
echo "unit test programs: $passed passed, $failed failed"
exit $status
