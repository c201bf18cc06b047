import { OPTIONS } from '../args.js';

const COMMANDS = ['rollout', 'follow', 'wait', 'multitrack', 'demo', 'completion', 'version', 'help'];
const KINDS = [
  'deployment',
  'statefulset',
  'daemonset',
  'job',
  'pod',
  'service',
  'ingress',
  'pvc',
  'replicaset',
];

/** Flags the command line reads but nobody types (`--watch=false` becomes `--no-watch`). */
const HIDDEN = new Set(['no-watch']);
const shown = () => Object.entries(OPTIONS).filter(([name]) => !HIDDEN.has(name));

const flags = () =>
  shown().flatMap(([name, option]) => [`--${name}`, ...('short' in option ? [`-${option.short}`] : [])]);

/** Flags whose values are a fixed list, and the list. */
const VALUES: Record<string, string> = {
  output: 'text json',
  for: 'delete create ready condition= jsonpath=',
  'fail-mode': 'fail-whole-deploy ignore hope-until-end',
};
const FILE_FLAGS = ['filename', 'kubeconfig', 'rules', 'record'];

/** fish: one `complete` line per flag, with its values or files. */
function fish(): string {
  const lines = shown().map(([name, option]) => {
    const short = 'short' in option ? ` -s ${option.short}` : '';
    const value =
      option.type !== 'string'
        ? ''
        : VALUES[name]
          ? ` -x -a '${VALUES[name]}'`
          : FILE_FLAGS.includes(name)
            ? ' -r -F'
            : ' -x';
    return `complete -c kubedog -l ${name}${short}${value}`;
  });
  return `# kubedog fish completion: kubedog completion fish | source
complete -c kubedog -f
complete -c kubedog -n __fish_use_subcommand -a '${COMMANDS.join(' ')}'
complete -c kubedog -n '__fish_seen_subcommand_from rollout' -a 'track status'
complete -c kubedog -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'
complete -c kubedog -n '__fish_seen_subcommand_from track status follow wait' -a '${KINDS.join(' ')}'
${lines.join('\n')}
`;
}

/** `kubedog completion bash|zsh|fish`: commands, flags and kinds (names come from the cluster, not here). */
export function completion(shell: string | undefined): string | undefined {
  const words = flags().join(' ');
  if (shell === 'fish') return fish();
  if (shell === 'bash')
    return `# kubedog bash completion: source <(kubedog completion bash)
_kubedog() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  case "$prev" in
    -f|--filename|--kubeconfig|--rules|--record) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    -o|--output) COMPREPLY=($(compgen -W "${VALUES.output}" -- "$cur")); return ;;
    --for) COMPREPLY=($(compgen -W "${VALUES.for}" -- "$cur")); return ;;
    --fail-mode) COMPREPLY=($(compgen -W "${VALUES['fail-mode']}" -- "$cur")); return ;;
    rollout) COMPREPLY=($(compgen -W "track status" -- "$cur")); return ;;
    completion) COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur")); return ;;
    track|status|follow|wait) COMPREPLY=($(compgen -W "${KINDS.join(' ')}" -- "$cur")); return ;;
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "${words}" -- "$cur"))
  elif [[ $COMP_CWORD -eq 1 ]]; then COMPREPLY=($(compgen -W "${COMMANDS.join(' ')}" -- "$cur"))
  fi
}
complete -F _kubedog kubedog
`;
  if (shell === 'zsh')
    return `#compdef kubedog
# kubedog zsh completion: source <(kubedog completion zsh)
_kubedog() {
  local -a commands=(${COMMANDS.join(' ')}) kinds=(${KINDS.join(' ')}) flags=(${words})
  case $words[CURRENT-1] in
    -f|--filename|--kubeconfig|--rules|--record) _files; return ;;
    -o|--output) compadd ${VALUES.output}; return ;;
    --for) compadd ${VALUES.for}; return ;;
    --fail-mode) compadd ${VALUES['fail-mode']}; return ;;
    rollout) compadd track status; return ;;
    completion) compadd bash zsh fish; return ;;
    track|status|follow|wait) compadd -a kinds; return ;;
  esac
  if [[ $PREFIX == -* ]]; then compadd -a flags
  elif (( CURRENT == 2 )); then compadd -a commands
  fi
}
compdef _kubedog kubedog
`;
  return undefined;
}
