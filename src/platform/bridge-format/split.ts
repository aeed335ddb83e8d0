/**
 * Long messages split where the target's limit requires: Slack's chat.postMessage truncates `text`
 * past 40,000 characters (docs.slack.dev/reference/methods/chat.postMessage), Graph refuses a
 * chatMessage body over about 28 KB. Pieces break at a blank line, else a line break, else a space,
 * else anywhere; each is within `limit` as `size` measures it.
 */
export const SLACK_TEXT_LIMIT = 40_000;
export const TEAMS_BODY_BYTES = 28 * 1024;

export function splitMessage(text: string, limit: number, size: (s: string) => number = (s) => s.length): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (size(rest) > limit) {
    let cut = longestPrefix(rest, limit, size);
    for (const sep of ['\n\n', '\n', ' ']) {
      const at = rest.lastIndexOf(sep, cut);
      if (at > 0) {
        cut = at;
        break;
      }
    }
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest !== '' || pieces.length === 0) pieces.push(rest);
  return pieces;
}

/** The longest prefix length (in UTF-16 units, never splitting a surrogate pair) within the limit. */
function longestPrefix(text: string, limit: number, size: (s: string) => number): number {
  let lo = 1;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (size(text.slice(0, mid)) <= limit) lo = mid;
    else hi = mid - 1;
  }
  const code = text.charCodeAt(lo - 1);
  return code >= 0xd800 && code <= 0xdbff && lo > 1 ? lo - 1 : lo;
}

export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
