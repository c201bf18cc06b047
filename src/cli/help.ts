/** Help texts: plain strings, so `--help` loads nothing else. */

const EXIT_CODES = `Exit codes:
  0    ready (rollout track), what wait waited for, or follow ended normally
       (Ctrl-C or deletion)
  1    a tracked resource failed
  2    timeout
  3    kubeconfig, API, connection or authentication error
  64   usage error: bad flag, kind, duration, manifest, rules file or selector
  130  rollout track interrupted (Ctrl-C)
  141  the reader of the output went away (kubedog … | head)`;

const KUBE_FLAGS = `Cluster flags (as kubectl's):
  -n, --namespace NS       namespace (default: the context's); a,b: each of them
      --context NAME       kubeconfig context (default: current-context)
      --kubeconfig FILE    kubeconfig file (default: $KUBECONFIG, then ~/.kube/config,
                           then the pod's service account)
  -A, --all-namespaces     with -l or --all: every namespace
  The Go kubedog's spellings work too: --kube-context, --kube-config,
  --kube-config-base64 B64, KUBEDOG_KUBE_CONTEXT, KUBEDOG_KUBE_CONFIG,
  KUBEDOG_KUBE_CONFIG_BASE64, KUBEDOG_NO_COLOR, KUBEDOG_TERMINAL_WIDTH,
  --status-progress-period SECONDS, --output-prefix STR.`;

const TRACK_FLAGS = `What to track (any mix; duplicates are tracked once):
  KIND NAME [NAME…]        kubectl's spellings: deployment, deploy, deployments,
  KIND/NAME […]            deployment.apps, sts, ds, job, po, svc, ing, pvc, or any
                           kind the server serves (custom resources too)
  -f, --filename PATH      manifests: a YAML/JSON file (multi-document), a directory
                           of them, or - for stdin; repeatable
  -l, --selector SEL       every trackable resource with these labels (KIND -l SEL:
                           every KIND with them)
      --all                every trackable resource in the namespace
      --field-selector SEL with -l or --all: only what matches it (metadata.name=web)
      --helm-release NAME  a Helm 3 release as Helm deploys it: its status (pending,
                           failed with Helm's description, deployed), its resources
                           (judged once Helm applied them) and its hooks in Helm's
                           order, with their logs
      --helm-revision N|next  which revision: N, or next (the first newer than now:
                           start kubedog, then helm upgrade); default the newest; a
                           newer revision written meanwhile is followed instead
      --helm-storage KIND  secret (default) or configmap, as HELM_DRIVER (read too)
      --helm-tests         also the test hooks (helm test): wait for them to succeed
      --no-helm-hooks      not the hooks

Output:
  -o, --output FORMAT      text (default) or json: one TrackEvent per line on stdout
  -q, --quiet              only the final verdict (and the failure report)
      --no-color           no colors (NO_COLOR and FORCE_COLOR work too)
      --status-every DUR   print the status table every DUR when stderr is not a
                           terminal (on a terminal it stays pinned below the output)
      --terminal-width N   draw the status table N columns wide (also
                           KUBEDOG_TERMINAL_WIDTH)
      --output-prefix STR  start every line of text output with STR
      --interactive        a full-screen view on a terminal (rollout track, follow):
                           every resource, the reason first, expandable to its pods
                           and containers (failing ones open themselves, ! jumps to
                           the next); the selection's events and logs (10,000 lines
                           per container, / to filter, n N to step through matches,
                           f to pause, w to wrap, t for times); d describe, e
                           Events, y YAML, p previous logs; ? lists every key; q
                           leaves, with the exit code the track would give
      --clipboard          in the interactive view, c copies the selected message or
                           log line to the terminal's clipboard (OSC 52)
      --ci SYSTEM          github, gitlab or none (default: from GITHUB_ACTIONS,
                           GITLAB_CI): annotations (::error, ::warning), log tails
                           in collapsible sections, GitHub's job summary
      --report FILE.md     write the run as Markdown (the job summary's text)
      --junit FILE         write the run as JUnit XML: a test case per resource
      --timeline           at the end, each pod's steps (created, scheduled, pulled,
                           started, running, failing) as a text Gantt chart
      --no-logs            do not follow pod logs
      --raw-logs           log lines as written, escape sequences and all (by
                           default control characters are shown escaped: \x1b)
  -c, --container NAME     follow only these containers' logs: a name or a regular
                           expression matching the whole name; repeatable
  -E, --exclude-container NAME
                           do not follow these containers' logs; repeatable
  -i, --include RE         only log lines that match (any of them; repeatable)
  -e, --exclude RE         no log lines that match (repeatable)
  -H, --highlight RE       paint what matches in log lines (repeatable)
      --tail N             only the last N lines of each container
      --timestamps[=short] each log line's time before it (RFC 3339 with nanoseconds,
                           or short: 12-02 07:38:02), in --timezone ZONE (default Local)
      --max-log-requests N at most N log streams open at once (default 50)
      --container-state S  only containers running, waiting (the crashed instance's last
                           lines) or terminated; a list, or all (default)
      --exclude-pod RE     no logs of pods whose name matches (repeatable)
      --node NAME          only the logs of pods on this node
      --no-follow          follow: what there is now (status, pods, events, the logs so
                           far), then exit
      --logs-since WHEN    a duration (10m), an RFC 3339 time, now, or all (default: from
                           the container's start, or from the track's start for one
                           running a minute before it); also --since

Verdicts:
  -t, --timeout DUR        end after DUR (90s, 5m, 1h30m, or seconds; 0 = never): what is not
                           ready then fails, reason Timeout
      --no-activity-timeout DUR
                           fail when nothing happens for DUR (default 4m)
      --fail-mode MODE     fail-whole-deploy (default), ignore or hope-until-end;
                           a resource's kubedog.io/fail-mode annotation wins
      --failures-allowed-per-replica N
                           container failures tolerated per replica (default 1)
      --rules FILE         readiness rules for custom kinds (YAML; see docs/readiness.md)
      --record FILE        record every API exchange to FILE (NDJSON, mode 0600; no
                           credentials, Secret data redacted) for replayFixture()
      --debug              one line per API request on stderr (also KUBEDOG_DEBUG=1)
      --request-timeout DUR
                           give up on an API request that is not a stream after
                           DUR (default 60s; 0 = never), as kubectl's
      --kube-api-qps N     requests a second to the API server, at most (default 50)
      --kube-api-burst N   requests that may go at once before that (default 300)
      --watch-scope SCOPE  resource: watch only each resource's own objects (it by
                           name, its pods by its selector, their Events); namespace:
                           one watch per kind for all; auto (default): resource for
                           up to 10 resources per namespace

Log lines go to stdout; everything else kubedog says goes to stderr.`;

export const MAIN_HELP = `kubedog — track Kubernetes resources while they roll out

Usage:
  kubedog rollout track KIND NAME   wait until ready; fail fast and say why
  kubedog rollout status KIND/NAME  the same with kubectl rollout status' flags
  kubedog follow KIND NAME          tail -f for a resource: status, events, logs
  kubedog wait --for=delete KIND/NAME
                                    kubectl wait, saying why it is not done yet
  kubedog multitrack < specs.json   the Go kubedog's multitrack: MultitrackSpecs JSON
  kubedog demo                      a rollout on a built-in simulated cluster
  kubedog completion bash|zsh|fish  shell completion script
  kubedog version                   print the version
  kubedog help [COMMAND]            help for a command

Examples:
  kubectl apply -f app.yaml && kubedog rollout track -f app.yaml
  kubedog rollout track deploy/web -n shop --timeout 10m
  kubedog follow job migrate --logs-since 10m

${EXIT_CODES}
`;

export const ROLLOUT_HELP = `kubedog rollout track — wait until resources are ready, fail fast and say why

Usage:
  kubedog rollout track KIND NAME [flags]
  kubedog rollout track -f FILE|DIR|- [-f …] [flags]
  kubedog rollout track -l SELECTOR | --all | --helm-release NAME [flags]
  kubedog rollout status KIND/NAME [--watch=false] [--revision N] [flags]

Streams status changes, Kubernetes events and pod logs until every resource is
ready (exit 0), one fails (exit 1, with a report: the reason, what kubedog
found on the object the failure waits for, a hint, Warning events and the last
log lines of failing containers) or --timeout passes (exit 2; default 5m).

rollout status is rollout track with kubectl rollout status' flags, so a script
can swap kubectl for kubedog and keep the rest: no timeout unless --timeout
(kubectl's 0 = never); -w, --watch=false judges once and exits (0 unless a
resource failed: exit 1); --revision N judges Deployments at revision N only
(deployment.kubernetes.io/revision): an older one is waited for, a newer one
fails ("desired revision (N) is different from the running revision (M)").

Examples:
  kubedog rollout track deployment web
  kubedog rollout track sts/db job/migrate -n shop
  kubectl apply -f k8s/ && kubedog rollout track -f k8s/ --timeout 10m
  kubedog rollout status deployment/web --revision 3 --timeout 10m
  kubedog rollout status deploy/web --watch=false
  helm upgrade --install shop ./chart && kubedog rollout track --helm-release shop
  kubedog rollout track --helm-release shop --helm-revision next &
    helm upgrade --install shop ./chart --wait; wait $!
  kubedog rollout track deploy web -o json | jq -c 'select(.type == "failed")'

${TRACK_FLAGS}

${KUBE_FLAGS}

${EXIT_CODES}
`;

export const FOLLOW_HELP = `kubedog follow — status, events and logs of resources, like tail -f

Usage:
  kubedog follow KIND NAME [flags]
  kubedog follow -f FILE | -l SELECTOR | --all | --helm-release NAME [flags]

Runs until Ctrl-C (exit 0) or until every followed resource is deleted.
Failures are shown but end nothing. No timeout unless --timeout is given.

Examples:
  kubedog follow deploy web
  kubedog follow -l app=web --logs-since 1h -c app
  kubedog follow job/migrate -o json

${TRACK_FLAGS}

${KUBE_FLAGS}

${EXIT_CODES}
`;

export const WAIT_HELP = `kubedog wait — wait for deletion, creation, readiness or a condition, saying why it is not done

Usage:
  kubedog wait --for=delete|create|ready KIND/NAME [KIND/NAME…] [flags]
  kubedog wait --for=condition=NAME[=VALUE] | --for=jsonpath=EXPR[=VALUE] [--for=…] KIND/NAME… [--strict] [flags]
  kubedog wait --for=delete|create KIND -l SELECTOR | KIND --all [flags]
  kubedog wait --for=delete|create|ready -f FILE|DIR|- [flags]

kubectl wait's verbs. --for=delete ends as soon as every resource is gone (at
once when it does not exist, or when nothing matches -l), and meanwhile says
why it is not gone yet: not being deleted at all, the finalizers still pending
(and what removes Kubernetes' own), the dependents of a foreground deletion
left, a namespace's remaining content, a pod's running containers and grace
period. --for=create ends once every named resource exists — with KIND -l or
KIND --all, once anything matches (at once when something does). --for=ready is
rollout track without logs. --for=condition=Available ends once the object's
status has that condition True (or the VALUE given; both compared without
regard to case, and only once the status has observed the object's
generation); --for=jsonpath='{.status.phase}'=Running once the expression
(kubectl's JSONPath) selects one value, equal to VALUE — without a VALUE, any
value. Several --for (conditions and JSONPaths, with create or not) are met
in their order, as the current kubectl's: each once the one before it was
(create first). Meanwhile the status line says why not yet, and a failure (pods
crashing, an image that does not exist) ends the wait early with its reason
and report (exit 1); --strict waits as kubectl does: only the condition or the
timeout ends it. Default --timeout 30s, as kubectl's (0 = never, where
kubectl's 0 checks once); a timeout says what it still waited for.

Examples:
  kubectl delete ns preview --wait=false && kubedog wait --for=delete ns/preview --timeout 5m
  kubedog wait --for=delete pod -l app=web -n shop
  kubedog wait --for=create secret/db-credentials --timeout 2m
  kubedog wait --for=condition=Available deployment/web --timeout 5m
  kubedog wait --for=jsonpath='{.status.phase}'=Running pod/toolbox
  kubedog wait --for=create --for=condition=Ready pod -l app=web
  kubedog wait --for=ready -f k8s/ -o json

Flags:
      --for WHAT           delete, create, ready, condition=NAME[=VALUE] or
                           jsonpath=EXPR[=VALUE] (required; repeatable: conditions
                           met in order, with create or not)
      --strict             with a condition: only it, or the timeout, ends the wait
  -l, --selector SEL       with one KIND (pod -l app=web): those with these labels;
                           alone, every trackable resource with them
      --all                with one KIND: every one in the namespace
  -f, --filename PATH      manifests: a file, a directory or - for stdin
  -t, --timeout DUR        give up after DUR (default 30s; 0 = never): exit 2
  -o, --output FORMAT      text (default) or json: one TrackEvent per line on stdout
  -q, --quiet              only the final line (and a failure report)
      --no-color           no colors

${KUBE_FLAGS}

${EXIT_CODES}
`;

export const MULTITRACK_HELP = `kubedog multitrack — the Go kubedog's multitrack: MultitrackSpecs JSON on stdin

Usage:
  echo '{"Deployments":[{"ResourceName":"web","Namespace":"shop"}]}' | kubedog multitrack [flags]

Reads the Go kubedog's MultitrackSpecs document — Deployments, StatefulSets,
DaemonSets, Jobs, Canaries (Flagger) and Generics, every spec field — and
tracks it as rollout track does, with the Go command's defaults: no timeout
unless --timeout, one failure allowed per resource (AllowFailuresCount; none
for Canaries), Kubernetes Events only with ShowServiceMessages. Field names
match ignoring case; malformed JSON, an unknown field or a value of the wrong
type is a usage error (exit 64) saying where (docs/migrating-from-kubedog.md).

${TRACK_FLAGS}

${KUBE_FLAGS}

${EXIT_CODES}
`;

export const DEMO_HELP = `kubedog demo — a rollout on a built-in simulated cluster

Usage:
  kubedog demo [--no-color]

Starts a simulated Kubernetes API server with controllers in this process and
runs kubedog rollout track through a story: a Deployment rolls out, its next
version crashes and the track fails with a report, the Deployment is rolled
back and becomes ready, and a Job completes. No cluster needed.
`;

export const COMPLETION_HELP = `kubedog completion — shell completion

Usage:
  kubedog completion bash   add to ~/.bashrc:  source <(kubedog completion bash)
  kubedog completion zsh    add to ~/.zshrc:   source <(kubedog completion zsh)
  kubedog completion fish   add to ~/.config/fish/config.fish:  kubedog completion fish | source
`;
