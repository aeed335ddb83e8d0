/**
 * The tenant's API key lives in this tab's sessionStorage only: never localStorage, never a cookie,
 * never a URL, never a log line. Closing the tab (or signing out) forgets it.
 */
const STORAGE_KEY = 'forgeworks.apiKey';

export const session = {
  key(): string | null {
    try {
      return window.sessionStorage.getItem(STORAGE_KEY);
    } catch {
      return null;
    }
  },
  signIn(key: string): void {
    window.sessionStorage.setItem(STORAGE_KEY, key);
  },
  signOut(): void {
    window.sessionStorage.removeItem(STORAGE_KEY);
  },
};
