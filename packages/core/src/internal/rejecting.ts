/**
 * API.md section 7: a method that returns a promise never throws. Such a method
 * wraps its body in `rejecting`, so a bad argument or a closed object found
 * while starting the work arrives as a rejection, like every later failure.
 */
export function rejecting<T>(body: () => Promise<T>): Promise<T> {
  try {
    return body();
  } catch (error) {
    // Passed through exactly as it was raised.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    return Promise.reject(error);
  }
}
