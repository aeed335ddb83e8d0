import type { AuthPlugin } from '../http';

/** For endpoints that take no credentials in the request itself (token endpoints carry them in the body). */
export const noAuth: AuthPlugin = {
  async apply() {},
};
