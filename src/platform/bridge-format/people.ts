/** The names a mention is written with: a bridged user's id -> display name (either system's ids). */
export type PeopleDirectory = (id: string) => string | undefined;

/** A mention as readable text: the person's name, or "someone" rather than an id the other side cannot resolve. */
export function mentionText(directory: PeopleDirectory, id: string, fallbackName?: string): string {
  return `@${directory(id) ?? fallbackName ?? 'someone'}`;
}
