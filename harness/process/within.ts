/**
 * Resolves true once `promise` settles (either way), or false after `ms`; the timer is cleared either way so
 * that no wait outlives its purpose and keeps the process alive.
 */
export const settlesWithin = (promise: Promise<unknown>, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const settled = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(settled, settled);
  });
