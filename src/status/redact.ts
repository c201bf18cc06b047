/**
 * Credentials that what the cluster says sometimes carries — a kubelet's
 * pull error with a registry URL, a probe's `Authorization` header, an
 * operator's condition quoting its config — masked (`***`) before kubedog
 * shows or hands on any of it. What is recognised is listed in SECURITY.md.
 */

/** Names of keys whose value is a credential (`password=x`, `"token": "x"`, `--api-key x`). */
const SECRET_KEYS =
  '(?:password|passwd|passphrase|token|access[_-]?token|refresh[_-]?token|id[_-]?token|secret|client[_-]?secret|secret[_-]?access[_-]?key|aws[_-]?secret[_-]?access[_-]?key|api[_-]?key|apikey|access[_-]?key|private[_-]?key)';

/** Well-known token shapes, recognised on their own (no key names them). */
const TOKENS = [
  // JSON Web Tokens (service account tokens, OIDC id tokens): header.payload.signature.
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
  // GitHub: ghp_, gho_, ghu_, ghs_, ghr_ and fine-grained github_pat_.
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{30,}\b/g,
  // GitLab personal, project and CI job tokens.
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g,
  /\bglcbt-[A-Za-z0-9_-]{20,}\b/g,
  // Slack bot, user and app tokens.
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g,
  // AWS access key ids.
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  // Google API keys.
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  // npm tokens.
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  // Stripe secret and restricted keys.
  /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g,
];

/** Each pattern and what its match becomes, in order. */
const RULES: [RegExp, string][] = [
  // A private key block, whole or cut off: everything from its BEGIN line to its END line (or the end).
  [
    /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    '-----BEGIN $1PRIVATE KEY----- *** -----END $1PRIVATE KEY-----',
  ],
  // user:password@ in URLs.
  [/(\w+:\/\/)[^/\s:@]+:[^/\s@]+@/g, '$1***@'],
  // HTTP authorization schemes: Bearer, and Basic with its base64 (not "basic auth").
  [/\b(bearer)(\s+)[A-Za-z0-9._~+/=-]+/gi, '$1$2***'],
  [/\b(basic)(\s+)[A-Za-z0-9+/]{8,}={0,2}/gi, '$1$2***'],
  // JSON and YAML-in-JSON: "password": "x", "auth":"base64" (a docker config's).
  [new RegExp(`("(?:${SECRET_KEYS}|auth)"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi'), '$1"***"'],
  // Command-line flags: --password x, --token=x, --api-key "x".
  [new RegExp(`(--${SECRET_KEYS}(?:=|\\s+))("[^"]*"|'[^']*'|\\S+)`, 'gi'), '$1***'],
  // key=value and key: value (env vars, connection strings, log-style pairs).
  // (Preceded by no letter or digit: DB_PASSWORD counts, a "tokens" field does not.)
  [new RegExp(`((?<![A-Za-z0-9])${SECRET_KEYS}\\s*[=:]\\s*)("[^"]*"|'[^']*'|[^\\s,;&]+)`, 'gi'), '$1***'],
  ...TOKENS.map((pattern): [RegExp, string] => [pattern, '***']),
];

/**
 * `text` with the credentials it carries masked: URL userinfo, HTTP
 * `Authorization` schemes, values of keys that name a credential (in
 * `key=value`, `key: value`, JSON and command-line flags), private key
 * blocks, and tokens of well-known shapes (JWTs; GitHub, GitLab, Slack,
 * npm, Stripe and Google tokens; AWS access key ids).
 */
export function redactCredentials(text: string): string {
  const known = recent.get(text);
  if (known !== undefined) return known;
  let redacted = text;
  for (const [pattern, replacement] of RULES) redacted = redacted.replace(pattern, replacement);
  // A verdict says the same words at every judgement: the 18 patterns run once per text.
  if (recent.size >= RECENT_TEXTS) recent.clear();
  recent.set(text, redacted);
  return redacted;
}

/** Texts redacted lately, and what they came to (pure: the same text, the same result). */
const recent = new Map<string, string>();
const RECENT_TEXTS = 2000;
