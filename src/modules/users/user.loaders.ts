/** Offices and users by id, batched per request (see `common/loaders.ts`). */
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/context';
import { byId } from '../../common/loaders';
import { OfficeEntity } from './office.entity';
import { UserEntity } from './user.entity';

const userLoaderSet = (manager: EntityManager) => ({
  office: byId(manager, OfficeEntity),
  user: byId(manager, UserEntity),
});

export const userLoaders = (ctx: RequestContext) => ctx.loadersOf(userLoaderSet);
