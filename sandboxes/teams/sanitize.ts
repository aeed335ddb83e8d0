/**
 * What a sanitising Teams may do to an HTML body it stores (the `sanitizeHtml` switch): keep the
 * formatting Teams itself produces and drop everything else. Elements outside FORMATTING lose their
 * tags (their text stays), attributes outside KEPT_ATTRIBUTES are dropped, and a span left with
 * neither attributes nor content disappears. The platform's marker, an empty
 * `<span data-forge-origin=...>`, does not survive it. Whether real Teams does this to data-*
 * attributes is unverified: the switch lets the bridge be tested as if it did.
 */
const FORMATTING = new Set([
  'p', 'div', 'span', 'br', 'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'del', 'code', 'pre', 'blockquote',
  'a', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'hr', 'img', 'at', 'emoji', 'table', 'tr', 'td', 'th', 'tbody', 'thead',
]);
const KEPT_ATTRIBUTES = new Set(['href', 'title', 'src', 'alt', 'id', 'itemtype', 'itemscope', 'itemid', 'target', 'rel']);
const TAG = /<(\/?)([a-zA-Z][\w-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*(\/?)>/g;
const ATTRIBUTE = /([^\s=>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g;

export function sanitizeTeamsHtml(html: string): string {
  const cleaned = html.replace(TAG, (_tag, closing: string, name: string, attributes: string, selfClosing: string) => {
    const tag = name.toLowerCase();
    if (!FORMATTING.has(tag)) return '';
    if (closing) return `</${tag}>`;
    const kept = [...attributes.matchAll(ATTRIBUTE)].filter((a) => KEPT_ATTRIBUTES.has(a[1].toLowerCase())).map((a) => (a[2] ? `${a[1]}=${a[2]}` : a[1]));
    return `<${tag}${kept.map((a) => ` ${a}`).join('')}${selfClosing ? ' /' : ''}>`;
  });
  return cleaned.replace(/<span><\/span>/g, '');
}
