/** Resolves a host name to every address a connection to it could use. */
export interface HostResolver {
  /** The addresses, as text; rejects (with the resolver's `code`, e.g. `ENOTFOUND`) when there are none. */
  resolve(hostname: string): Promise<string[]>;
}
