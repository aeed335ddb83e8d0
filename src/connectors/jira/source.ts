import type { CapturePage, SourceContract } from '../contract';
import { captureOptions, type CaptureOptions } from '../kit';
import type { JiraApi } from './api';
import { captureIssues, SEARCH_SETTLE_MS } from './issue-capture';
import { issueSpec, jiraObject } from './objects';
import { captureVersions } from './version-capture';

export interface JiraSourceOptions extends CaptureOptions {
  projectKeys: string[];
  /** How often deleted issues are looked for (ms); 0 = every poll that has caught up. */
  reconcileEveryMs: number;
}

/** Issues: JQL windows with overlap and key reconciliation for deletes; versions: full-list comparison. */
export function jiraSource(api: JiraApi, options: JiraSourceOptions): SourceContract {
  const resolved = captureOptions(options, SEARCH_SETTLE_MS);
  let timeZone: Promise<string> | undefined;
  // The API user's time zone, read once per source: JQL dates are wall-clock minutes in it.
  const userTimeZone = () => (timeZone ??= api.myself().then((me) => me.timeZone ?? 'UTC', (err: unknown) => {
    timeZone = undefined;
    throw err;
  }));

  return {
    async capture(object, cursor): Promise<CapturePage> {
      if (jiraObject(object).name === issueSpec.name) {
        return captureIssues(api, await userTimeZone(), cursor, { ...resolved, projectKeys: options.projectKeys, reconcileEveryMs: options.reconcileEveryMs });
      }
      return captureVersions(api, options.projectKeys, cursor, resolved);
    },
  };
}
