/** Offices and users by id, batched per request (see `common/loaders.ts`). */
import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/context';
import { leanRows } from '../../common/lean';
import { byId, type LoaderRequest } from '../../common/loaders';
import { officeCache } from './caller.cache';
import { OfficeEntity } from './office.entity';
import { UserEntity } from './user.entity';

const userLoaderSet = (manager: EntityManager, { caches, committed }: LoaderRequest) => {
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
      const read = missing.length
        ? await leanRows(manager, OfficeEntity, (c) => `${c('id')} = ANY($1::uuid[])`, [missing])
        : [];
      for (const office of read) {
        found.set(office.id, office);
        if (committed) kept.set(office.id, Object.freeze(office));
      }
      return ids.map((id) => found.get(id));
    }),
    user: byId(manager, UserEntity),
  };
};

export const userLoaders = (ctx: RequestContext) => ctx.loadersOf(userLoaderSet);
