/**
 * The answers a running service keeps between requests (see `token-cache.ts`). The kernel names
 * no cache: a module declares each of its own with `serviceCache`, and the service holds one of
 * each, made on first use, sized where the composition root says so (`new ServiceCaches({...})`).
 */

export interface ServiceCache<T> {
  /** The key the composition root sizes it by. */
  readonly name: string;
  create(size: number | undefined): T;
}

export function serviceCache<T>(
  name: string,
  create: (size: number | undefined) => T,
): ServiceCache<T> {
  return { name, create };
}

export class ServiceCaches {
  private readonly made = new Map<ServiceCache<unknown>, unknown>();

  constructor(private readonly sizes: Readonly<Record<string, number | undefined>> = {}) {}

  get<T>(cache: ServiceCache<T>): T {
    if (!this.made.has(cache)) this.made.set(cache, cache.create(this.sizes[cache.name]));
    return this.made.get(cache) as T;
  }
}
