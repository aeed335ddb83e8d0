/** The page the browser lands on after the provider's consent page: plain HTML, no script, no links out. */
export interface CallbackPage {
  status: number;
  html: string;
}

/** Headers of every callback page: never cached, never sent as a Referer (the URL held a code). */
export const CALLBACK_PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
};

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function page(status: number, title: string, paragraphs: string[]): CallbackPage {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  return {
    status,
    html: `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Forgeworks: ${escapeHtml(title)}</title></head>\n` +
      `<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">\n<h1>${escapeHtml(title)}</h1>\n${body}\n</body></html>\n`,
  };
}

export function connectedPage(system: string, name: string, connectionId: string): CallbackPage {
  return page(200, `Connected to ${system}`, [`The connection "${name}" is ready: ${connectionId}.`, 'You can close this window.']);
}

/** A callback refused before anything changed (unknown, expired or used state). */
export function refusedPage(reason: string): CallbackPage {
  return page(400, 'Not connected', [reason, 'Nothing was changed. Start again from Forgeworks to get a new authorization link.']);
}

export function deniedPage(system: string): CallbackPage {
  return page(400, `Not connected to ${system}`, [`Access was denied at ${system}'s consent page, so no connection was made.`]);
}

export function failedPage(system: string, reason: string, status = 400): CallbackPage {
  return page(status, `Not connected to ${system}`, [reason, 'No connection was made. Start again from Forgeworks to get a new authorization link.']);
}

/** The platform itself failed (its database): the user starts again once it is back. */
export function unavailablePage(): CallbackPage {
  return page(503, 'Not connected', ['Forgeworks could not finish connecting just now.', 'Start again from Forgeworks in a moment to get a new authorization link.']);
}
