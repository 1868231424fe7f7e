# Writes the `run:` steps of one job of a GitHub Actions workflow as files
# DIR/01.sh, DIR/02.sh, … in order (one-line `run: cmd` and block `run: |`),
# leaving out `cargo install` (CI runs the oyez it just built).
# Usage: awk -v job=digest -v dir=OUT -f .ci/workflow-steps.awk WORKFLOW
function indent(line) { match(line, /^ */); return RLENGTH }
function flush() { if (step != "" && step !~ /cargo install/) { n++; file = sprintf("%s/%02d.sh", dir, n); printf "%s", step > file; close(file) } step = "" }
/^jobs:/ { in_jobs = 1; next }
in_jobs && /^  [A-Za-z0-9_-]+:[ ]*$/ { flush(); block = 0; current = $1; sub(/:$/, "", current); next }
block {
  if ($0 ~ /^[ ]*$/ || indent($0) >= block_indent) { step = step substr($0, block_indent + 1) "\n"; next }
  block = 0; flush()
}
current == job && /^ +(- )?run: *\|[ ]*$/ { flush(); block = 1; getline; block_indent = indent($0); step = substr($0, block_indent + 1) "\n"; next }
current == job && /^ +(- )?run: / { flush(); line = $0; sub(/^ +(- )?run: /, "", line); step = line "\n"; flush(); next }
END { flush() }
