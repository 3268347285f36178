#!/usr/bin/env bash
# Compare the specs with their versions at a git ref, using oasdiff (pinned
# in go.mod through tools.go).
#
#   scripts/spec-diff.sh breaking [BASE]   fail (exit 1) on breaking changes to a request or response contract
#   scripts/spec-diff.sh changelog [BASE]  print every change
#
# BASE defaults to, in this order:
#   - the merge base of HEAD and $UPSTREAM, when UPSTREAM names a ref: set it
#     to the target branch of a pull request (origin/main, or on GitHub
#     Actions origin/$GITHUB_BASE_REF) so that only the branch's own changes
#     are judged;
#   - the latest tag v* (the last release);
#   - HEAD~1 (the commit before this one).
# An API that did not exist at BASE is reported as new, not compared.
#
# FORMAT picks oasdiff's output format (text by default; markdown for a
# changelog to publish, githubactions for annotations on a pull request).
#
# An intended break is approved by adding the line oasdiff prints for it to
# spec/<api>/breaking-approved.txt in the same change, where reviewers see
# it; oasdiff then ignores that change (--err-ignore).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:?usage: spec-diff.sh breaking|changelog [BASE]}
default_base() {
  if [ -n "${UPSTREAM:-}" ]; then
    git merge-base HEAD "$UPSTREAM" || { echo "spec-diff: no merge base of HEAD and UPSTREAM=$UPSTREAM" >&2; exit 2; }
    return
  fi
  git describe --tags --abbrev=0 --match 'v*' 2>/dev/null || echo HEAD~1
}
base=${2:-$(default_base)}
git rev-parse --verify --quiet "$base^{commit}" >/dev/null || { echo "spec-diff: unknown git ref $base" >&2; exit 2; }

# OASDIFF may name a prebuilt oasdiff binary; by default the pinned version runs.
oasdiff=${OASDIFF:-go run github.com/oasdiff/oasdiff}
format=${FORMAT:-text}
# In markdown, oasdiff's headings go one level under the API's.
demote() { if [ "$format" = markdown ]; then sed 's/^#/##/'; else cat; fi; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for api in devserver clouddc ecs; do
  rev="spec/$api/openapi.yaml"
  if ! git cat-file -e "$base:$rev" 2>/dev/null; then
    echo "$api: new since $base"
    continue
  fi
  git show "$base:$rev" > "$tmp/$api.yaml"
  if [ "$format" = markdown ]; then
    printf '# %s: %s → working tree\n\n' "$api" "$base"
  else
    echo "== $api: $base → working tree"
  fi
  case $mode in
    breaking)
      ignore=()
      [ -f "spec/$api/breaking-approved.txt" ] && ignore=(--err-ignore "spec/$api/breaking-approved.txt")
      $oasdiff breaking "$tmp/$api.yaml" "$rev" --format "$format" --fail-on ERR "${ignore[@]}" | demote || status=1
      ;;
    changelog)
      $oasdiff changelog "$tmp/$api.yaml" "$rev" --format "$format" | demote
      ;;
    *)
      echo "spec-diff: unknown mode $mode (want breaking or changelog)" >&2; exit 2
      ;;
  esac
done
exit $status
