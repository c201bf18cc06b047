/**
 * The API report: every name a package entry point exports, with its
 * signature, and the types those signatures reach that are not exported by
 * name — what a user of the published `.d.ts` files sees, `@internal`
 * members left out (the build strips them). `api/*.api.md` hold the reports;
 * a test keeps them in sync, so a change of surface is always a visible diff.
 *
 * Usage: tsx scripts/api-report.ts   (rewrites api/kubedog.api.md and api/kubedog-testing.api.md)
 */
import { writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import ts from 'typescript';

export const ENTRY_POINTS = [
  { module: 'kubedog', source: 'src/index.ts', report: 'api/kubedog.api.md' },
  { module: 'kubedog/testing', source: 'src/testing/index.ts', report: 'api/kubedog-testing.api.md' },
  { module: 'kubedog/report', source: 'src/report/index.ts', report: 'api/kubedog-report.api.md' },
  { module: 'kubedog/helm', source: 'src/helm/index.ts', report: 'api/kubedog-helm.api.md' },
] as const;

const FORMAT = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType;

/** One exported (or reached) declaration as the report shows it. */
export interface ApiEntry {
  name: string;
  /** `function`, `const`, `class`, `interface`, `type`. */
  kind: string;
  /** What a reader of the typings sees: signatures, members, the aliased type. */
  lines: string[];
  /** The TSDoc comment. */
  doc: string;
  /** Its `@example` blocks, and those of a class's public members (`of`: `KubeClient.get`). */
  examples: { of: string; code: string }[];
  /** Public members (of a class or interface) without a doc comment. */
  undocumented: string[];
  exported: boolean;
  /** Where it is declared (`src/…`). */
  file: string;
}

export function loadProgram(): ts.Program {
  const configPath = resolve('tsconfig.json');
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('cannot read tsconfig.json');
  return ts.createProgram(
    ENTRY_POINTS.map((entry) => resolve(entry.source)),
    config.options,
  );
}

/** The exported names of one entry point and the types they reach, in report order. */
export function apiEntries(program: ts.Program, source: string): ApiEntry[] {
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(resolve(source));
  const moduleSymbol = file && checker.getSymbolAtLocation(file);
  if (!moduleSymbol) throw new Error(`${source}: not a module`);
  const exported = checker.getExportsOfModule(moduleSymbol).map((symbol) => resolveAlias(checker, symbol));
  const seen = new Set<ts.Symbol>(exported);
  const queue = [...exported];
  const entries: ApiEntry[] = [];
  while (queue.length > 0) {
    const symbol = queue.shift() as ts.Symbol;
    const reached = new Set<ts.Symbol>();
    entries.push(describe(checker, symbol, exported.includes(symbol), reached));
    for (const next of reached)
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
  }
  const byName = (a: ApiEntry, b: ApiEntry) => a.name.localeCompare(b.name);
  return [
    ...entries.filter((e) => e.exported).sort(byName),
    ...entries.filter((e) => !e.exported).sort(byName),
  ];
}

function resolveAlias(checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

function describe(
  checker: ts.TypeChecker,
  symbol: ts.Symbol,
  exported: boolean,
  reached: Set<ts.Symbol>,
): ApiEntry {
  const declaration = symbol.declarations?.[0];
  if (!declaration) throw new Error(`${symbol.name}: no declaration`);
  const { kind, lines } = signatureOf(checker, symbol, declaration);
  for (const node of publicNodes(declaration)) collectReferences(checker, node, reached);
  const docNode = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
  const doc = ts
    .getJSDocCommentsAndTags(docNode)
    .map((node) => node.getText())
    .join('\n');
  const members = membersOf(declaration);
  const examples = [
    ...examplesOf(docNode).map((code) => ({ of: symbol.name, code })),
    ...members.flatMap((m) => examplesOf(m).map((code) => ({ of: `${symbol.name}.${memberName(m)}`, code }))),
  ];
  const undocumented = members
    .filter((m) => !ts.isConstructorDeclaration(m) && ts.getJSDocCommentsAndTags(m).length === 0)
    .map(memberName);
  const file = relative(resolve('.'), declaration.getSourceFile().fileName);
  return { name: symbol.name, kind, lines, doc, examples, undocumented, exported, file };
}

function examplesOf(node: ts.Node): string[] {
  return ts
    .getJSDocTags(node)
    .filter((tag) => tag.tagName.text === 'example')
    .map((tag) => ts.getTextOfJSDocComment(tag.comment) ?? '');
}

/** The public members of a class or interface. */
function membersOf(declaration: ts.Declaration): ts.Node[] {
  if (!ts.isClassDeclaration(declaration) && !ts.isInterfaceDeclaration(declaration)) return [];
  return (declaration.members as ts.NodeArray<ts.Node>).filter(
    (m) => !isHidden(m) && !ts.isClassStaticBlockDeclaration(m) && !ts.isSemicolonClassElement(m),
  );
}

function memberName(member: ts.Node): string {
  const name = (member as { name?: ts.Node }).name;
  return name ? name.getText() : ts.isConstructorDeclaration(member) ? 'constructor' : member.getText();
}

function signatureOf(
  checker: ts.TypeChecker,
  symbol: ts.Symbol,
  declaration: ts.Declaration,
): { kind: string; lines: string[] } {
  if (ts.isClassDeclaration(declaration))
    return { kind: 'class', lines: classLines(checker, symbol, declaration) };
  if (ts.isInterfaceDeclaration(declaration))
    return { kind: 'interface', lines: interfaceLines(checker, declaration) };
  if (ts.isTypeAliasDeclaration(declaration)) {
    const type = checker.getTypeAtLocation(declaration.type);
    return {
      kind: 'type',
      lines: [
        `type ${symbol.name} = ${checker.typeToString(type, undefined, FORMAT | ts.TypeFormatFlags.InTypeAlias)}`,
      ],
    };
  }
  const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
  const signatures = type.getCallSignatures();
  if (signatures.length > 0)
    return {
      kind: 'function',
      lines: signatures.map(
        (s) => `function ${symbol.name}${checker.signatureToString(s, undefined, FORMAT)}`,
      ),
    };
  return { kind: 'const', lines: [`const ${symbol.name}: ${checker.typeToString(type, undefined, FORMAT)}`] };
}

function isHidden(member: ts.Node): boolean {
  const name = (member as { name?: ts.Node }).name;
  if (name && ts.isPrivateIdentifier(name)) return true;
  const modifiers = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
  if (
    modifiers.some(
      (m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword,
    )
  )
    return true;
  return ts.getJSDocTags(member).some((tag) => tag.tagName.text === 'internal');
}

/** The nodes a user of the typings sees: a class without its private and internal members. */
function publicNodes(declaration: ts.Declaration): ts.Node[] {
  if (ts.isClassDeclaration(declaration) || ts.isInterfaceDeclaration(declaration))
    return [
      ...(declaration.heritageClauses ?? []),
      ...(declaration.typeParameters ?? []),
      ...(declaration.members as ts.NodeArray<ts.Node>).filter((m) => !isHidden(m)),
    ];
  if (ts.isVariableDeclaration(declaration)) return declaration.type ? [declaration.type] : [];
  if (ts.isFunctionDeclaration(declaration))
    return [...declaration.parameters, ...(declaration.type ? [declaration.type] : [])];
  return [declaration];
}

function classLines(checker: ts.TypeChecker, symbol: ts.Symbol, declaration: ts.ClassDeclaration): string[] {
  const heritage = declaration.heritageClauses?.map((h) => ` ${h.getText()}`).join('') ?? '';
  const lines = [`class ${symbol.name}${heritage}`];
  for (const member of membersOf(declaration))
    lines.push(`  ${memberLine(checker, member as ts.ClassElement)}`);
  return lines;
}

function interfaceLines(checker: ts.TypeChecker, declaration: ts.InterfaceDeclaration): string[] {
  const params = declaration.typeParameters
    ? `<${declaration.typeParameters.map((p) => p.getText()).join(', ')}>`
    : '';
  const heritage = declaration.heritageClauses?.map((h) => ` ${h.getText()}`).join('') ?? '';
  return [
    `interface ${declaration.name.text}${params}${heritage}`,
    ...membersOf(declaration).map((m) => `  ${memberLine(checker, m as ts.TypeElement)}`),
  ];
}

function memberLine(checker: ts.TypeChecker, member: ts.ClassElement | ts.TypeElement): string {
  const modifiers = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
  const prefix = modifiers
    .filter((m) => m.kind === ts.SyntaxKind.StaticKeyword || m.kind === ts.SyntaxKind.ReadonlyKeyword)
    .map((m) => `${m.getText()} `)
    .join('');
  const name = member.name ? member.name.getText() : '';
  // `?` after the name, for methods as for properties (`onAdded?(event)`, `list?(kind, options)`).
  const optional = (member as { questionToken?: ts.Node }).questionToken ? '?' : '';
  if (ts.isConstructorDeclaration(member)) {
    const signature = checker.getSignatureFromDeclaration(member);
    return `constructor${signature ? checker.signatureToString(signature, undefined, FORMAT) : '()'}`;
  }
  if (ts.isMethodDeclaration(member) || ts.isMethodSignature(member) || ts.isGetAccessorDeclaration(member)) {
    const signature = checker.getSignatureFromDeclaration(member);
    const text = signature ? checker.signatureToString(signature, undefined, FORMAT) : '';
    return ts.isGetAccessorDeclaration(member)
      ? `${prefix}get ${name}${text}`
      : `${prefix}${name}${optional}${text}`;
  }
  if (ts.isIndexSignatureDeclaration(member)) return member.getText().replace(/\s+/g, ' ');
  const type = checker.getTypeAtLocation(member);
  return `${prefix}${name}${optional}: ${checker.typeToString(type, undefined, FORMAT)}`;
}

/** Adds to `reached` every type of this project that `node` names. */
function collectReferences(checker: ts.TypeChecker, node: ts.Node, reached: Set<ts.Symbol>): void {
  const visit = (child: ts.Node): void => {
    // Signatures only: what a body or an initializer uses is not part of the surface.
    if (ts.isJSDoc(child) || ts.isBlock(child)) return;
    if (ts.isPropertyDeclaration(child.parent) && child === child.parent.initializer) return;
    if (ts.isTypeReferenceNode(child) || ts.isExpressionWithTypeArguments(child)) {
      const name = ts.isTypeReferenceNode(child) ? child.typeName : child.expression;
      const symbol = checker.getSymbolAtLocation(name);
      if (symbol) {
        const target = resolveAlias(checker, symbol);
        if (isProjectDeclaration(target)) reached.add(target);
      }
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
}

function isProjectDeclaration(symbol: ts.Symbol): boolean {
  const declaration = symbol.declarations?.[0];
  if (!declaration || ts.isTypeParameterDeclaration(declaration)) return false;
  const path = relative(resolve('.'), declaration.getSourceFile().fileName);
  return path.startsWith('src/');
}

/** The report of one entry point, as committed. */
export function renderReport(module: string, entries: ApiEntry[]): string {
  const exported = entries.filter((e) => e.exported);
  const block = (e: ApiEntry) =>
    `### ${e.name}${e.exported ? '' : ` (${e.file})`}\n\n\`\`\`ts\n${e.lines.join('\n')}\n\`\`\`\n`;
  return [
    `# API report: \`${module}\``,
    '',
    `Generated by \`npm run api-report\`; a test fails when it differs from the code. ${exported.length} exported names.`,
    '',
    '## Exported',
    '',
    ...exported.map(block),
    '## Reached, not exported by name',
    '',
    'Types the exported signatures use; a user gets them through those signatures.',
    '',
    ...entries.filter((e) => !e.exported).map(block),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const program = loadProgram();
  for (const entry of ENTRY_POINTS) {
    writeFileSync(entry.report, renderReport(entry.module, apiEntries(program, entry.source)));
    console.log(`wrote ${entry.report}`);
  }
}
