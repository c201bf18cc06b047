import { OPTIONS } from '../args.js';

const COMMANDS = ['rollout', 'follow', 'multitrack', 'demo', 'completion', 'version', 'help'];
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

const flags = () =>
  Object.entries(OPTIONS).flatMap(([name, option]) => [
    `--${name}`,
    ...('short' in option ? [`-${option.short}`] : []),
  ]);

/** `kubedog completion bash|zsh`: commands, flags and kinds (names come from the cluster, not here). */
export function completion(shell: string | undefined): string | undefined {
  const words = flags().join(' ');
  if (shell === 'bash')
    return `# kubedog bash completion: source <(kubedog completion bash)
_kubedog() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  case "$prev" in
    -f|--filename|--kubeconfig|--rules) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    -o|--output) COMPREPLY=($(compgen -W "text json" -- "$cur")); return ;;
    --fail-mode) COMPREPLY=($(compgen -W "fail-whole-deploy ignore hope-until-end" -- "$cur")); return ;;
    rollout) COMPREPLY=($(compgen -W "track" -- "$cur")); return ;;
    completion) COMPREPLY=($(compgen -W "bash zsh" -- "$cur")); return ;;
    track|follow) COMPREPLY=($(compgen -W "${KINDS.join(' ')}" -- "$cur")); return ;;
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
    -f|--filename|--kubeconfig|--rules) _files; return ;;
    -o|--output) compadd text json; return ;;
    --fail-mode) compadd fail-whole-deploy ignore hope-until-end; return ;;
    rollout) compadd track; return ;;
    completion) compadd bash zsh; return ;;
    track|follow) compadd -a kinds; return ;;
  esac
  if [[ $PREFIX == -* ]]; then compadd -a flags
  elif (( CURRENT == 2 )); then compadd -a commands
  fi
}
compdef _kubedog kubedog
`;
  return undefined;
}
