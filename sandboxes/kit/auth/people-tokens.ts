import type { SandboxClock } from '../clock';
import { bearerToken, type AuthScheme } from './auth-scheme';

/** The principal scheme of a request made with a person's own token (not the connector's). */
export const PERSON_SCHEME = 'person';

/**
 * People of the workspace next to the connector's app: bearer tokens that act as one person (a Slack
 * user token, a Teams client session), mapped token -> that person's id. A request made with one
 * authenticates as { scheme: 'person', subject: <id> }, so a sandbox records the message as that
 * person's and not the app's, as the vendor does. Any other request goes to the wrapped scheme.
 */
export function withPeopleTokens(scheme: (clock: SandboxClock) => AuthScheme, people: Record<string, string>): (clock: SandboxClock) => AuthScheme {
  return (clock) => {
    const built = scheme(clock);
    return {
      ...built,
      authenticate: (req) => {
        const given = bearerToken(req);
        const person = given !== undefined ? people[given] : undefined;
        return person ? { ok: true, principal: { scheme: PERSON_SCHEME, subject: person } } : built.authenticate(req);
      },
    };
  };
}
