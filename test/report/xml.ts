/** An XML element as the checker reads it. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string, where: number): string {
  return text.replace(/&([a-z]+);|&/g, (match, name: string | undefined) => {
    const value = name === undefined ? undefined : ENTITIES[name];
    if (value === undefined) throw new Error(`a bare or unknown entity at ${where}: ${match}`);
    return value;
  });
}

/**
 * A strict reader of the XML subset reports use (a declaration, elements,
 * double-quoted attributes, text, the five entities): anything else —
 * an unclosed or crossed tag, a raw `<` or `&`, a control character XML
 * 1.0 forbids — throws, saying where.
 */
export function parseXml(xml: string): XmlElement {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 forbids are the point
  const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.exec(xml);
  if (forbidden) throw new Error(`a control character XML cannot carry at ${forbidden.index}`);
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, '');
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  const tag = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let at = 0;
  while (at < body.length) {
    tag.lastIndex = at;
    match = tag.exec(body);
    if (!match) throw new Error(`not XML at ${at}: ${body.slice(at, at + 30)}`);
    at = tag.lastIndex;
    const top = stack.at(-1) as XmlElement;
    const [, closing, name, attrs, selfClosing, text] = match;
    if (text !== undefined) {
      top.text += decode(text, match.index);
      continue;
    }
    if (closing) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}> at ${match.index}`);
      stack.pop();
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, key, value] of (attrs ?? '').matchAll(/([\w.-]+)="([^"]*)"/g))
      attributes[key as string] = decode(value as string, match.index);
    const element: XmlElement = { name: name as string, attributes, children: [], text: '' };
    top.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`<${stack.at(-1)?.name}> is never closed`);
  const [document] = root.children;
  if (!document || root.children.length !== 1 || root.text.trim() !== '')
    throw new Error('not one root element');
  return document;
}
