/**
 * Emoji shortcodes. Slack writes emoji as :shortcode: in mrkdwn; Teams stores the character itself
 * (inside an <emoji alt="..."> element when posted from the client). The common shortcodes are
 * mapped to their characters on the way to Teams; an unknown one stays as written. On the way to
 * Slack the character is kept: Slack shows Unicode emoji as they are.
 */
const SHORTCODES: Record<string, string> = {
  smile: '😄', slightly_smiling_face: '🙂', grinning: '😀', joy: '😂', wink: '😉', heart: '❤️', thumbsup: '👍', '+1': '👍',
  thumbsdown: '👎', '-1': '👎', tada: '🎉', white_check_mark: '✅', x: '❌', warning: '⚠️', eyes: '👀', fire: '🔥',
  rocket: '🚀', pray: '🙏', clap: '👏', thinking_face: '🤔', wave: '👋', ok_hand: '👌', raised_hands: '🙌', sob: '😭',
};

export function shortcodesToEmoji(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, code: string) => SHORTCODES[code] ?? whole);
}
