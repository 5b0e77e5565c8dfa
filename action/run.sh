#!/usr/bin/env bash
# The GitHub Action's one step (action.yml): runs mailcheck once with annotations on stdout
# (`--format github`) and, from the same run, the Markdown job summary and SARIF (`--report`), then
# writes the step's outputs. It always exits 0 so the SARIF upload still runs; the action's last
# step exits with mailcheck's code. Inputs arrive as environment variables (never as script text).
#
# MAILCHECK_BIN: a mailcheck command to run instead of `npx mailcheck-cli@VERSION` (a runner with
# mailcheck installed, or this repository's own bin/mailcheck.cjs in its tests).
set -uo pipefail
set -f # paths and args are split on whitespace, never globbed by bash (mailcheck expands globs itself)

fail() {
  # a workflow command: the message is data, so %, CR and LF are escaped as the runner expects
  local msg=${1//'%'/'%25'}
  msg=${msg//$'\r'/'%0D'}
  msg=${msg//$'\n'/'%0A'}
  echo "::error title=mailcheck action::${msg}"
  echo "exit-code=2" >>"$GITHUB_OUTPUT"
  exit 0
}

command=${MAILCHECK_COMMAND:-lint}
case "$command" in lint | check) ;; *) fail "input command must be lint or check, got: ${command}" ;; esac
# no version given: the one of the action's own checkout, so the tag a workflow pins decides
version=${MAILCHECK_VERSION:-}
if [[ -z "$version" ]]; then
  version=$(node -p 'require(process.argv[1]).version' "${GITHUB_ACTION_PATH:-.}/package.json" 2>/dev/null) || version=latest
fi
[[ "$version" =~ ^[A-Za-z0-9][A-Za-z0-9.+-]{0,63}$ ]] || fail "input version must be an npm version or dist-tag, got: ${version}"
for flag in "${MAILCHECK_SUMMARY:-true}" "${MAILCHECK_SARIF:-false}"; do
  [[ "$flag" == true || "$flag" == false ]] || fail "inputs summary and sarif take true or false, got: ${flag}"
done

read -r -d '' -a paths <<<"${MAILCHECK_PATHS:-.}"
read -r -d '' -a args <<<"${MAILCHECK_ARGS:-}"
[[ ${#paths[@]} -gt 0 ]] || paths=(.)

if [[ -n "${MAILCHECK_BIN:-}" ]]; then
  read -r -d '' -a mailcheck <<<"$MAILCHECK_BIN"
else
  # the npm package is mailcheck-cli; its command is mailcheck
  mailcheck=(npx --yes --package "mailcheck-cli@${version}" -- mailcheck)
fi

out=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/mailcheck-$$
mkdir -p "$out" || fail "cannot create ${out}"
reports=(--report "json=${out}/report.json")
[[ "${MAILCHECK_SUMMARY:-true}" == true ]] && reports+=(--report "markdown=${out}/summary.md")
[[ "${MAILCHECK_SARIF:-false}" == true ]] && reports+=(--report "sarif=${out}/mailcheck.sarif")

# CI=true: one progress line per profile, no spinner; the report on stdout is the annotations
CI=true "${mailcheck[@]}" "$command" "${paths[@]}" --format github "${reports[@]}" "${args[@]}"
code=$?

if [[ "${MAILCHECK_SUMMARY:-true}" == true && -f "$out/summary.md" && -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  cat "$out/summary.md" >>"$GITHUB_STEP_SUMMARY"
fi
errors=0
warnings=0
if [[ -f "$out/report.json" ]]; then
  counts=$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const s = r.summary || {};
    const n = (v) => (Number.isInteger(v) && v >= 0 ? v : 0);
    const c = s.checks || {};
    process.stdout.write(`${n(s.errors) + n(c.fail)} ${n(s.warnings) + n(c.warn)}`);
  ' "$out/report.json") && read -r errors warnings <<<"$counts"
fi
{
  echo "exit-code=${code}"
  echo "errors=${errors}"
  echo "warnings=${warnings}"
  if [[ -f "$out/mailcheck.sarif" ]]; then echo "sarif-file=${out}/mailcheck.sarif"; fi
} >>"$GITHUB_OUTPUT"
exit 0
