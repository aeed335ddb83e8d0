/**
 * Drives a sandbox's consent page over HTTP as a user's browser would: loads the authorization
 * URL, submits the Allow or Deny form, and answers where the provider redirects (not followed).
 */
export async function answerConsent(authorizationUrl: string, decision: 'allow' | 'deny'): Promise<URL> {
  const page = await fetch(authorizationUrl, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`the consent page answered ${page.status}: ${html.slice(0, 300)}`);
  const form = [...html.matchAll(/<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/g)]
    .find((f) => f[2]?.includes(`name="decision" value="${decision}"`));
  if (!form?.[1] || !form[2]) throw new Error(`the consent page has no ${decision} form: ${html.slice(0, 300)}`);
  const fields = new URLSearchParams([...form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)]
    .map((m) => [m[1] ?? '', unescapeHtml(m[2] ?? '')]));
  fields.set('decision', decision);
  const answer = await fetch(new URL(unescapeHtml(form[1]), authorizationUrl), {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString(),
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`the consent form answered ${answer.status} without a redirect: ${await answer.text()}`);
  return new URL(location);
}

/** Follows the provider's redirect to the platform's callback: the page the browser would show. */
export async function openCallback(location: URL): Promise<{ status: number; html: string; headers: Headers }> {
  const res = await fetch(location, { redirect: 'manual' });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

function unescapeHtml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
