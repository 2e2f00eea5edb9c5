/** Jest global teardown: nothing global outlives the suites (each suite stops its own servers). */
export default async function globalTeardown(): Promise<void> {}
