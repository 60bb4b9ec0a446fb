/** Offices and users by id, batched per request (see `common/loaders.ts`). */
import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/context';
import { byId, type LoaderRequest } from '../../common/loaders';
import { officeCache } from './caller.cache';
import { OfficeEntity } from './office.entity';
import { UserEntity } from './user.entity';

const userLoaderSet = (manager: EntityManager, { caches, committed }: LoaderRequest) => {
  const offices = byId(manager, OfficeEntity);
  const kept = caches.get(officeCache);
  return {
    /** Offices as `office` fields show them: kept across requests for CALLER_CACHE_MS. */
    office: new DataLoader<string, Readonly<OfficeEntity> | undefined>(async (ids) => {
      const found = new Map<string, Readonly<OfficeEntity> | undefined>();
      for (const id of ids) {
        const hit = kept.get(id);
        if (hit) found.set(id, hit);
      }
      const missing = ids.filter((id) => !found.has(id));
      const read = missing.length ? await offices.loadMany(missing) : [];
      read.forEach((office, i) => {
        if (office instanceof Error) throw office;
        found.set(missing[i], office);
        if (office && committed) kept.set(missing[i], Object.freeze(office));
      });
      return ids.map((id) => found.get(id));
    }),
    user: byId(manager, UserEntity),
  };
};

export const userLoaders = (ctx: RequestContext) => ctx.loadersOf(userLoaderSet);
