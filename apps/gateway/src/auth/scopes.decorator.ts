import { SetMetadata } from '@nestjs/common';
import type { ApiKeyScope } from '@kairos/persistence';

export const SCOPES_KEY = 'kairos:scopes';
export const PUBLIC_KEY = 'kairos:public';

/** The route needs a key holding any one of these scopes (`admin` holds them all). */
export const Scopes = (...scopes: ApiKeyScope[]) => SetMetadata(SCOPES_KEY, scopes);

/** The route needs no key (health, metrics). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
