#!/usr/bin/env bash
# Compare the specs with their versions at a git ref, using oasdiff (pinned
# in the development-tools module tools/go.mod, so that modules requiring
# this one do not inherit it).
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
# On a shallow clone (actions/checkout's default depth of 1) that lacks the
# base, the script first fetches the whole history and the tags from origin;
# when it cannot (no origin, no network) or there is still no base (the first
# commit), it skips the comparison with a message saying why and exits 0.
# An explicit BASE that does not exist is an error (exit 2).
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
case $mode in
  breaking|changelog) ;;
  *) echo "spec-diff: unknown mode $mode (want breaking or changelog)" >&2; exit 2 ;;
esac
# default_base prints the base to compare with, or a description of the
# missing one (which then fails the known test below).
default_base() {
  if [ -n "${UPSTREAM:-}" ]; then
    git merge-base HEAD "$UPSTREAM" 2>/dev/null || echo "the merge base of HEAD and UPSTREAM=$UPSTREAM"
    return
  fi
  git describe --tags --abbrev=0 --match 'v*' 2>/dev/null || echo HEAD~1
}
known() { git rev-parse --verify --quiet "$1^{commit}" >/dev/null 2>&1; }
base=${2:-}
if [ -z "$base" ]; then
  base=$(default_base)
  fetched=yes
  if ! known "$base" && [ "$(git rev-parse --is-shallow-repository)" = true ]; then
    echo "spec-diff: shallow clone without $base; fetching the history and tags from origin" >&2
    if git fetch --quiet --unshallow --tags origin >&2; then
      base=$(default_base)
    else
      fetched=no
    fi
  fi
  if ! known "$base"; then
    if [ -n "${UPSTREAM:-}" ] && [ $fetched = yes ]; then
      echo "spec-diff: no merge base of HEAD and UPSTREAM=$UPSTREAM" >&2; exit 2
    fi
    reason="$base is not in this clone"
    [ $fetched = no ] && reason="$reason (a shallow clone, and fetching from origin failed)"
    echo "spec-diff: SKIPPED: no base to compare with: $reason." >&2
    # make check lists what it skipped at the end.
    [ -n "${SKIP_LOG:-}" ] && echo "make $mode: no base to compare with: $reason" >> "$SKIP_LOG"
    echo "spec-diff: clone with the history (actions/checkout: fetch-depth: 0) or name one: BASE=<ref> make $mode" >&2
    exit 0
  fi
fi
known "$base" || { echo "spec-diff: unknown git ref $base" >&2; exit 2; }

# OASDIFF may name a prebuilt oasdiff binary; by default the pinned version
# runs, from the development-tools module.
oasdiff=${OASDIFF:-go tool -modfile=tools/go.mod oasdiff}
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
  esac
done
exit $status
